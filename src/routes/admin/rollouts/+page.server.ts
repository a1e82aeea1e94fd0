/**
 * Staged rollouts of the current MA (issue #17), newest first one keyset page at a time (status and cursor are
 * query parameters, so a page is a link), each with its tally for the progress bar. Reading needs 'read' on
 * 'rollout'; the "New rollout" link shows when the one policy lets the viewer 'operate' rollouts.
 */
import { requireAccess } from '$lib/server/auth/guard';
import { authorizeCollection } from '$lib/server/authz';
import { ROLLOUT_STATUSES } from '$lib/contract/rollouts';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 25;

export const load: PageServerLoad = ({ locals, url, depends }) => {
	const { actor, maId } = requireAccess(locals, url, 'read', 'rollout');
	depends('admin:rollouts');
	const rollouts = locals.app.services.rollouts;
	const s = url.searchParams.get('status') ?? '';
	const status = (ROLLOUT_STATUSES as readonly string[]).includes(s) ? s : undefined;
	const cursor = url.searchParams.get('cursor') ?? '';
	// A cursor that is not one of ours (an edited link) shows the first page rather than an error page.
	const paged = cursor ? rollouts.page(maId, { status, limit: PAGE_SIZE, cursor }) : null;
	const page = paged?.ok ? paged : rollouts.page(maId, { status, limit: PAGE_SIZE });
	const { items, total, nextCursor } = page.ok ? page.value : { items: [], total: 0, nextCursor: null };
	return {
		rollouts: items,
		total,
		nextCursor,
		paged: paged?.ok === true,
		status: status ?? '',
		canCreate: authorizeCollection({ actor, maId }, 'operate', 'rollout').ok
	};
};
