/** POST: verify a new passkey; for setup and invitations this also signs the new administrator in. */
import { json } from '@sveltejs/kit';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { parse } from '$lib/contract/common';
import { RegisterVerifyBody } from '$lib/server/auth/wire';
import { finishRegistration } from '$lib/server/auth/ceremonies';
import { relyingParty } from '$lib/server/auth/webauthn';
import { apiError, beginSession, readJson } from '$lib/server/auth/http';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, locals, cookies }) => {
	const body = parse(RegisterVerifyBody, await readJson(request));
	if (!body.ok) return apiError({ code: 'invalid_request', message: body.issues[0]?.message ?? 'invalid request', issues: body.issues });
	const ctx = locals.app;
	const now = ctx.clock();
	const db = ctx.store.db;
	const r = await finishRegistration(
		{ db, rp: relyingParty(ctx.config.origin), now },
		body.value.response as unknown as RegistrationResponseJSON,
		body.value.passkeyName,
		locals.session?.adminId ?? null
	);
	if (!r.ok) return apiError(r.error);
	if (r.value.kind !== 'add') {
		beginSession(db, cookies, ctx.config.origin, r.value.adminId, now, request.headers.get('user-agent') ?? '', r.value.maId);
	}
	return json({ ok: true, redirect: r.value.kind === 'add' ? '/admin/account' : '/admin' });
};
