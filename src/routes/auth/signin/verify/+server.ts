/** POST: verify a passkey assertion and start a new session (rotated: any previous one is deleted). */
import { json } from '@sveltejs/kit';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { parse } from '$lib/contract/common';
import { SigninVerifyBody } from '$lib/server/auth/wire';
import { finishSignin } from '$lib/server/auth/ceremonies';
import { relyingParty } from '$lib/server/auth/webauthn';
import { apiError, beginSession, readJson } from '$lib/server/auth/http';
import { safeNext } from '$lib/contract/safe-next';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, cookies, url, locals }) => {
	const body = parse(SigninVerifyBody, await readJson(request));
	if (!body.ok) return apiError({ code: 'invalid_request', message: body.issues[0]?.message ?? 'invalid request', issues: body.issues });
	const ctx = locals.app;
	const now = ctx.clock();
	const r = await finishSignin(
		{ db: ctx.store.db, rp: relyingParty(ctx.config.origin), now },
		body.value.response as unknown as AuthenticationResponseJSON
	);
	if (!r.ok) return apiError(r.error);
	beginSession(ctx.store.db, cookies, ctx.config.origin, r.value.adminId, now, request.headers.get('user-agent') ?? '');
	return json({ ok: true, redirect: safeNext(url.searchParams.get('next'), url.origin) });
};
