/**
 * The admin console's frame: every page under /admin needs a signed-in administrator. It carries the
 * administrator's MAs (for the switcher), the current MA and role, and what the role allows, so pages
 * can hide controls (the server checks again on every action).
 */
import { requireAdmin, capabilities } from '$lib/server/auth/guard';
import { getAdmin, listMemberships } from '$lib/server/auth/accounts';
import { highRiskOf } from '$lib/admin-ui/fleet.server';
import type { LayoutServerLoad } from './$types';

function approvalsOf({ services }: App.Locals['app'], maId: string) {
	const batchIds = services.signing.approvals.pending(maId).map((p) => p.batchId);
	return { count: batchIds.length, batchIds };
}

export const load: LayoutServerLoad = ({ locals, url, depends }) => {
	const { actor, maId } = requireAdmin(locals, url);
	depends('admin:approvals');
	const db = locals.app.store.db;
	const admin = getAdmin(db, actor.id);
	const memberships = listMemberships(db, actor.id);
	const current = memberships.find((m) => m.maId === maId) ?? null;
	const can = capabilities(actor, maId);
	// H2: every owner is told when someone asks to widen who may approve, or to weaken the policy.
	const change = can.manage && maId ? locals.app.services.signing.trustChanges.pending(maId) : null;
	const trustNotice = change
		? `A change of who may approve high-risk operations waits for an owner’s passkey (${[
				change.added.length ? `${change.added.length} passkey(s) to add` : '',
				change.removed.length ? `${change.removed.length} to remove` : '',
				change.policy ? 'a weaker policy' : ''
			]
				.filter(Boolean)
				.join(', ')}).`
		: null;
	return {
		trustNotice,
		admin: { id: actor.id, displayName: admin?.displayName ?? 'Administrator' },
		memberships: memberships.map((m) => ({ maId: m.maId, maName: m.maName, role: m.role })),
		current: current ? { maId: current.maId, maName: current.maName, role: current.role } : null,
		can,
		// Batches held for a passkey approval: counted in the navigation, shown as "Awaiting approval" everywhere.
		approvals: current ? approvalsOf(locals.app, current.maId) : { count: 0, batchIds: [] },
		highRisk: current ? highRiskOf(locals.app, current.maId) : null
	};
};
