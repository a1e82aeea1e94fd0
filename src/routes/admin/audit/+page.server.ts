/** The current MA's audit log ('read' on 'audit'), filtered by actor type, action, outcome and time (UTC days). */
import { requireAccess } from '$lib/server/auth/guard';
import { ACTOR_TYPES, OUTCOMES, auditQuery } from './query.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const { maId } = requireAccess(locals, url, 'read', 'audit');
	return { ...auditQuery(locals.app.store.db, maId, url.searchParams, 300), actorTypes: ACTOR_TYPES, outcomes: OUTCOMES, query: url.searchParams.toString() };
};
