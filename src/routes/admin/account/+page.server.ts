/**
 * The administrator's own account: passkeys (add, rename, remove but never the last one, last used),
 * memberships, sign out and sign out everywhere. Only ever one's own: the one policy's 'manage-own-account'
 * (core/policy.ts) allows it, and every query is keyed by the session's administrator.
 */
import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { requireOwnAccount } from '$lib/server/auth/guard';
import { deletePasskey, listMemberships, listPasskeys, renamePasskey } from '$lib/server/auth/accounts';
import { auditForEachMa } from '$lib/server/auth/audit-log';
import { clearSessionCookie, countAdminSessions, deleteAdminSessions } from '$lib/server/auth/sessions';
import { PasskeyName } from '$lib/server/auth/wire';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const { actor } = requireOwnAccount(locals, url);
	const db = locals.app.store.db;
	return {
		passkeys: listPasskeys(db, actor.id).map((p) => ({
			id: p.id,
			name: p.name,
			createdAt: p.createdAt,
			lastUsedAt: p.lastUsedAt,
			backedUp: p.backedUp
		})),
		memberships: listMemberships(db, actor.id),
		sessions: countAdminSessions(db, actor.id)
	};
};

const maIdsOf = (actor: { memberships: readonly { maId: string }[] }) => actor.memberships.map((m) => m.maId);

export const actions: Actions = {
	rename: async ({ locals, url, request }) => {
		const { actor } = requireOwnAccount(locals, url);
		const form = await request.formData();
		const id = String(form.get('id') ?? '');
		const name = v.safeParse(PasskeyName, String(form.get('name') ?? ''));
		if (!name.success || name.output.length === 0)
			return fail(400, { action: 'rename', id, error: 'Give the passkey a name of 1 to 60 characters.' });
		const db = locals.app.store.db;
		if (renamePasskey(db, actor.id, id, name.output) === 0) return fail(404, { action: 'rename', id, error: 'That passkey does not exist.' });
		auditForEachMa(db, locals.app.clock(), maIdsOf(actor), {
			actor: { type: 'admin', id: actor.id },
			action: 'passkey.rename',
			targetType: 'passkey',
			targetId: id,
			outcome: 'ok',
			detail: { name: name.output }
		});
		return { action: 'rename', id, message: 'Passkey renamed.' };
	},

	remove: async ({ locals, url, request }) => {
		const { actor } = requireOwnAccount(locals, url);
		const id = String((await request.formData()).get('id') ?? '');
		const ctx = locals.app;
		const db = ctx.store.db;
		const removed = db.transaction((tx) => {
			const mine = listPasskeys(tx, actor.id);
			if (!mine.some((p) => p.id === id)) return 'missing' as const;
			// The last passkey is the only way back in: keep it.
			if (mine.length <= 1) return 'last' as const;
			deletePasskey(tx, actor.id, id);
			auditForEachMa(tx, ctx.clock(), maIdsOf(actor), {
				actor: { type: 'admin', id: actor.id },
				action: 'passkey.remove',
				targetType: 'passkey',
				targetId: id,
				outcome: 'ok'
			});
			return 'removed' as const;
		});
		if (removed === 'missing') return fail(404, { action: 'remove', id, error: 'That passkey does not exist.' });
		if (removed === 'last')
			return fail(409, { action: 'remove', id, error: 'This is your only passkey. Add another one before removing it.' });
		return { action: 'remove', id, message: 'Passkey removed.' };
	},

	signoutEverywhere: ({ locals, url, cookies }) => {
		const { actor } = requireOwnAccount(locals, url);
		const ctx = locals.app;
		const n = deleteAdminSessions(ctx.store.db, actor.id);
		auditForEachMa(ctx.store.db, ctx.clock(), maIdsOf(actor), {
			actor: { type: 'admin', id: actor.id },
			action: 'admin.signout-everywhere',
			outcome: 'ok',
			detail: { sessions: n }
		});
		clearSessionCookie(cookies, ctx.config.origin);
		redirect(303, '/admin/signin?signedout=1');
	}
};
