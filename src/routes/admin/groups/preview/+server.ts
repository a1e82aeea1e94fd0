/**
 * The console's live preview of a dynamic group's filter: how many of the MA's devices it matches now, or
 * where it goes wrong (the service's own check, group names and cycles included). `self`: the group being
 * edited, so a filter leading back to it shows as the cycle it would be.
 */
import { json } from '@sveltejs/kit';
import { requireAccess } from '$lib/server/auth/guard';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ locals, url }) => {
	const { maId } = requireAccess(locals, url, 'read', 'group');
	const filter = (url.searchParams.get('filter') ?? '').slice(0, 2000);
	const self = url.searchParams.get('self') ?? undefined;
	if (filter.trim() === '') return json({ total: null, error: null }, { headers: { 'cache-control': 'no-store' } });
	const r = locals.app.services.groups.preview(maId, filter, self);
	const body = r.ok
		? { total: r.value.total, error: null }
		: { total: null, error: { message: r.error.issues?.[0]?.message ?? r.error.message, position: r.error.position ?? null } };
	return json(body, { headers: { 'cache-control': 'no-store' } });
};
