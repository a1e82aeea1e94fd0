/** POST: WebAuthn creation options for first-run setup, an invitation, or another passkey of one's own. */
import { json } from '@sveltejs/kit';
import { parse } from '$lib/contract/common';
import { RegisterOptionsBody } from '$lib/server/auth/wire';
import { startRegistration } from '$lib/server/auth/ceremonies';
import { relyingParty } from '$lib/server/auth/webauthn';
import { apiError, readJson } from '$lib/server/auth/http';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, locals }) => {
	const body = parse(RegisterOptionsBody, await readJson(request));
	if (!body.ok) return apiError({ code: 'invalid_request', message: body.issues[0]?.message ?? 'invalid request', issues: body.issues });
	const ctx = locals.app;
	const r = await startRegistration(
		{ db: ctx.store.db, rp: relyingParty(ctx.config.origin), now: ctx.clock() },
		body.value,
		locals.session?.adminId ?? null
	);
	return r.ok ? json(r.value, { headers: { 'cache-control': 'no-store' } }) : apiError(r.error);
};
