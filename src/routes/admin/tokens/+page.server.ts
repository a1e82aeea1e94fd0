/**
 * API tokens of the current MA (owners only: 'manage' on 'api-token'): create with a scope (read acts as a
 * viewer, operate as an operator), shown once; list with last use; revoke. Audited.
 */
import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import { requireAccess } from '$lib/server/auth/guard';
import { createApiToken, listApiTokens, revokeApiToken } from '$lib/server/auth/api-tokens';
import { audit } from '$lib/server/auth/audit-log';
import { HumanText } from '$lib/contract/common';
import { TOKEN_SCOPES } from '$lib/core/policy';
import type { Actions, PageServerLoad } from './$types';

const TokenForm = v.object({
	name: v.pipe(v.string(), v.trim(), v.minLength(1, 'Give the token a name, e.g. the system that uses it.'), HumanText(80)),
	scope: v.picklist(TOKEN_SCOPES, 'Choose a scope: read or operate.')
});

export const load: PageServerLoad = ({ locals, url }) => {
	const { maId } = requireAccess(locals, url, 'manage', 'api-token');
	return { tokens: listApiTokens(locals.app.store.db, maId) };
};

export const actions: Actions = {
	create: async ({ locals, url, request }) => {
		const { actor, maId } = requireAccess(locals, url, 'manage', 'api-token');
		const form = await request.formData();
		const parsed = v.safeParse(TokenForm, { name: String(form.get('name') ?? ''), scope: String(form.get('scope') ?? '') });
		if (!parsed.success) return fail(400, { action: 'create', error: parsed.issues[0].message });
		const ctx = locals.app;
		const now = ctx.clock();
		const { tokenId, token } = ctx.store.db.transaction((tx) => {
			const created = createApiToken(tx, { maId, ...parsed.output }, now);
			audit(tx, now, { maId, actor, action: 'token.create', targetType: 'api-token', targetId: created.tokenId, outcome: 'ok', detail: { ...parsed.output } });
			return created;
		});
		return { action: 'create', tokenId, token, name: parsed.output.name, scope: parsed.output.scope };
	},

	revoke: async ({ locals, url, request }) => {
		const { actor, maId } = requireAccess(locals, url, 'manage', 'api-token');
		const id = String((await request.formData()).get('id') ?? '');
		const ctx = locals.app;
		const now = ctx.clock();
		// A token of another MA is not found here, exactly like a missing one (SCOMO-ADC-3).
		if (!revokeApiToken(ctx.store.db, maId, id, now)) return fail(404, { action: 'revoke', error: 'No such token.' });
		audit(ctx.store.db, now, { maId, actor, action: 'token.revoke', targetType: 'api-token', targetId: id, outcome: 'ok' });
		return { action: 'revoke', message: 'Token revoked. Requests with it are refused from now on.' };
	}
};
