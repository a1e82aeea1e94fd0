/**
 * GET ?filter=…: how many of the MA's devices a rollout target's filter matches now, or where the filter stops
 * parsing: the new-rollout form's live count (the devices page's filter, read through the same service).
 * Nothing changes here; it needs 'read' on devices.
 */
import { json } from '@sveltejs/kit';
import { requireAccess } from '$lib/server/auth/guard';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ locals, url }) => {
	const { maId } = requireAccess(locals, url, 'read', 'device');
	const filter = (url.searchParams.get('filter') ?? '').slice(0, 2000);
	const page = locals.app.services.devices.page(maId, { filter, limit: 1 });
	if (!page.ok) {
		const e = page.error;
		return json({ ok: false, message: e.issues?.[0]?.message ?? e.message, position: e.position ?? null }, { headers: { 'cache-control': 'no-store' } });
	}
	return json({ ok: true, total: page.value.total }, { headers: { 'cache-control': 'no-store' } });
};
