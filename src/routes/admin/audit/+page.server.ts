/**
 * The current MA's audit log ('read' on 'audit'), filtered by actor type, action, outcome and time (UTC days),
 * one keyset page at a time newest first; filters and cursor are query parameters, so a page is a link.
 */
import { requireAccess } from '$lib/server/auth/guard';
import { ACTOR_TYPES, OUTCOMES, auditPageQuery } from './query.server';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 100;

export const load: PageServerLoad = ({ locals, url }) => {
	const { maId } = requireAccess(locals, url, 'read', 'audit');
	// The filters without the cursor: the CSV export and the first-page link take every matching event.
	const filters = new URLSearchParams(url.searchParams);
	filters.delete('cursor');
	return { ...auditPageQuery(locals.app.store.db, maId, url.searchParams, PAGE_SIZE), actorTypes: ACTOR_TYPES, outcomes: OUTCOMES, query: filters.toString() };
};
