/** POST: WebAuthn request options for a username-less sign-in (the authenticator offers its passkeys). */
import { json } from '@sveltejs/kit';
import { startSignin } from '$lib/server/auth/ceremonies';
import { relyingParty } from '$lib/server/auth/webauthn';
import { apiError } from '$lib/server/auth/http';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ locals }) => {
	const ctx = locals.app;
	const r = await startSignin({ db: ctx.store.db, rp: relyingParty(ctx.config.origin), now: ctx.clock() });
	return r.ok ? json(r.value, { headers: { 'cache-control': 'no-store' } }) : apiError(r.error);
};
