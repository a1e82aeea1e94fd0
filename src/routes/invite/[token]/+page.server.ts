/**
 * An invitation link: the invitee registers a passkey and joins the MA with the invited role, or, already
 * signed in, joins with their existing account. The token is single use; only its hash is stored.
 */
import { fail, redirect } from '@sveltejs/kit';
import { findInvitationByToken } from '$lib/server/auth/invitations';
import { joinWithAccount } from '$lib/server/auth/ceremonies';
import { getAdmin, getMembership } from '$lib/server/auth/accounts';
import { setCurrentMa } from '$lib/server/auth/http';
import { stepUpFromForm, verifyStepUp } from '$lib/server/auth/step-up';
import { relyingParty } from '$lib/server/auth/webauthn';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals }) => {
	const ctx = locals.app;
	const inv = findInvitationByToken(ctx.store.db, params.token, ctx.clock());
	const adminId = locals.actor?.type === 'admin' ? locals.actor.id : null;
	const admin = adminId ? getAdmin(ctx.store.db, adminId) : undefined;
	return {
		invitation: inv ? { maName: inv.maName, role: inv.role, status: inv.status, expiresAt: inv.expiresAt } : null,
		token: params.token,
		signedInAs: admin ? admin.displayName : null,
		alreadyMember: inv && adminId ? getMembership(ctx.store.db, adminId, inv.maId) !== undefined : false
	};
};

export const actions: Actions = {
	/** Join with the account this browser is signed in with (no new passkey). */
	join: async ({ params, locals, cookies, request }) => {
		if (locals.actor?.type !== 'admin') return fail(401, { error: 'Sign in first, or create a passkey below.' });
		const ctx = locals.app;
		const inv = findInvitationByToken(ctx.store.db, params.token, ctx.clock());
		if (inv && inv.role !== 'viewer') {
			// H2: joining with an approving role needs a fresh assertion of one of my passkeys, not the cookie alone.
			const rp = relyingParty(ctx.config.origin);
			const confirmed = await verifyStepUp({ db: ctx.store.db, rp, now: ctx.clock() }, locals.actor.id, 'invitation.accept', stepUpFromForm(await request.formData()));
			if (!confirmed.ok) return fail(403, { code: confirmed.error.code, error: confirmed.error.message });
		}
		const r = joinWithAccount({ db: ctx.store.db, now: ctx.clock() }, params.token, locals.actor.id);
		if (!r.ok) return fail(r.error.code === 'conflict' ? 409 : 404, { error: r.error.message });
		setCurrentMa(cookies, ctx.config.origin, r.value.maId);
		redirect(303, '/admin');
	}
};
