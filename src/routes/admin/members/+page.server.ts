/**
 * Members of the current MA (owners only, 'manage' on 'member'): list, change role, remove, invite with
 * a single-use expiring link, revoke pending invitations. Every change is audited. An MA always keeps at
 * least one owner.
 */
import { fail } from '@sveltejs/kit';
import { requireAccess } from '$lib/server/auth/guard';
import { countOwners, deleteMembership, getMembership, listMembers, setMembershipRole } from '$lib/server/auth/accounts';
import { createInvitation, invitationStatus, listInvitations, revokeInvitation } from '$lib/server/auth/invitations';
import { audit } from '$lib/server/auth/audit-log';
import { isPromotion, stepUpFromForm, verifyStepUp } from '$lib/server/auth/step-up';
import { relyingParty } from '$lib/server/auth/webauthn';
import { ROLES, type Role } from '$lib/core/policy';
import type { Actions, PageServerLoad } from './$types';

const isRole = (x: unknown): x is Role => typeof x === 'string' && (ROLES as readonly string[]).includes(x);
const EXPIRY_CHOICES_H = [1, 24, 72, 168];

export const load: PageServerLoad = ({ locals, url }) => {
	const { maId } = requireAccess(locals, url, 'manage', 'member');
	const ctx = locals.app;
	const now = ctx.clock();
	return {
		members: listMembers(ctx.store.db, maId),
		invitations: listInvitations(ctx.store.db, maId).map((i) => ({
			id: i.id,
			role: i.role,
			label: i.label,
			createdAt: i.createdAt,
			expiresAt: i.expiresAt,
			status: invitationStatus(i, now)
		})),
		expiryChoices: EXPIRY_CHOICES_H
	};
};

export const actions: Actions = {
	invite: async ({ locals, url, request }) => {
		const { actor, maId } = requireAccess(locals, url, 'manage', 'member');
		const form = await request.formData();
		const role = form.get('role');
		const hours = Number(form.get('expiresInHours') ?? 168);
		const label = String(form.get('label') ?? '').trim().slice(0, 80);
		if (!isRole(role)) return fail(400, { action: 'invite', error: 'Choose a role: owner, operator or viewer.' });
		if (!EXPIRY_CHOICES_H.includes(hours)) return fail(400, { action: 'invite', error: 'Choose how long the link stays valid.' });
		const ctx = locals.app;
		const now = ctx.clock();
		const inv = createInvitation(ctx.store.db, { maId, role, createdBy: actor.id, label, ttlMs: hours * 3600_000 }, now);
		audit(ctx.store.db, now, { maId, actor, action: 'invitation.create', targetType: 'invitation', targetId: inv.id, outcome: 'ok', detail: { role, label, expiresAt: inv.expiresAt } });
		// The link is shown once: only its hash is kept.
		return { action: 'invite', link: `${ctx.config.origin}/invite/${inv.token}`, role, expiresAt: inv.expiresAt };
	},

	revokeInvitation: async ({ locals, url, request }) => {
		const { actor, maId } = requireAccess(locals, url, 'manage', 'member');
		const id = String((await request.formData()).get('id') ?? '');
		const ctx = locals.app;
		const now = ctx.clock();
		if (revokeInvitation(ctx.store.db, maId, id, now) === 0)
			return fail(404, { action: 'revokeInvitation', error: 'No pending invitation with that id.' });
		audit(ctx.store.db, now, { maId, actor, action: 'invitation.revoke', targetType: 'invitation', targetId: id, outcome: 'ok' });
		return { action: 'revokeInvitation', message: 'Invitation revoked.' };
	},

	role: async ({ locals, url, request }) => {
		const { actor, maId } = requireAccess(locals, url, 'manage', 'member');
		const form = await request.formData();
		const adminId = String(form.get('adminId') ?? '');
		const role = form.get('role');
		if (!isRole(role)) return fail(400, { action: 'role', adminId, error: 'Choose a role: owner, operator or viewer.' });
		const ctx = locals.app;
		const now = ctx.clock();
		const before = getMembership(ctx.store.db, adminId, maId);
		if (before && isPromotion(before.role as Role, role)) {
			// H2: promoting to an approving role needs a fresh assertion of an owner's passkey the devices trust,
			// not the session cookie alone. The new approver's passkeys then reach devices only once an owner
			// approves the trust change (Approvals page).
			const trusted = new Set(ctx.services.signing.trust.current(maId).statement.credentials.map((c) => c.credentialId));
			const confirmed = await verifyStepUp(
				{ db: ctx.store.db, rp: relyingParty(ctx.config.origin), now },
				actor.id,
				'member.promote',
				stepUpFromForm(form),
				(id) => trusted.size === 0 || trusted.has(id)
			);
			if (!confirmed.ok) {
				audit(ctx.store.db, now, { maId, actor, action: 'member.role', targetType: 'admin', targetId: adminId, outcome: 'denied', detail: { from: before.role, to: role, reason: 'step_up_required' } });
				return fail(403, { action: 'role', adminId, code: confirmed.error.code, error: confirmed.error.message });
			}
		}
		const outcome = ctx.store.db.transaction((tx) => {
			const m = getMembership(tx, adminId, maId);
			// Someone of another MA is not a member here: not found, like anyone unknown (SCOMO-ADC-3).
			if (!m) return 'missing' as const;
			if (m.role === 'owner' && role !== 'owner' && countOwners(tx, maId) <= 1) return 'last-owner' as const;
			setMembershipRole(tx, adminId, maId, role);
			audit(tx, now, { maId, actor, action: 'member.role', targetType: 'admin', targetId: adminId, outcome: 'ok', detail: { from: m.role, to: role } });
			return 'ok' as const;
		});
		if (outcome === 'missing') return fail(404, { action: 'role', adminId, error: 'That administrator is not a member here.' });
		if (outcome === 'last-owner')
			return fail(409, { action: 'role', adminId, error: 'A Management Authority needs at least one owner. Make someone else owner first.' });
		return { action: 'role', adminId, message: `Role changed to ${role}.` };
	},

	remove: async ({ locals, url, request }) => {
		const { actor, maId } = requireAccess(locals, url, 'manage', 'member');
		const adminId = String((await request.formData()).get('adminId') ?? '');
		const ctx = locals.app;
		const now = ctx.clock();
		const outcome = ctx.store.db.transaction((tx) => {
			const m = getMembership(tx, adminId, maId);
			if (!m) return 'missing' as const;
			if (m.role === 'owner' && countOwners(tx, maId) <= 1) return 'last-owner' as const;
			deleteMembership(tx, adminId, maId);
			audit(tx, now, { maId, actor, action: 'member.remove', targetType: 'admin', targetId: adminId, outcome: 'ok', detail: { role: m.role } });
			return 'ok' as const;
		});
		if (outcome === 'missing') return fail(404, { action: 'remove', adminId, error: 'That administrator is not a member here.' });
		if (outcome === 'last-owner')
			return fail(409, { action: 'remove', adminId, error: 'The last owner cannot be removed. Make someone else owner first.' });
		return { action: 'remove', adminId, message: 'Member removed.' };
	}
};
