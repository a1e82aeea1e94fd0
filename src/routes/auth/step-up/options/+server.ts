/**
 * POST { action }: WebAuthn request options to confirm an action that widens who may approve high-risk
 * operations (adding a passkey, joining with an approving role, promoting a member) with a fresh passkey
 * assertion (src/lib/server/auth/step-up.ts). Signed-in administrators only.
 */
import { json } from '@sveltejs/kit';
import * as v from 'valibot';
import { parse } from '$lib/contract/common';
import { apiError, readJson } from '$lib/server/auth/http';
import { startStepUp, STEP_UP_ACTIONS } from '$lib/server/auth/step-up';
import { relyingParty } from '$lib/server/auth/webauthn';
import type { RequestHandler } from './$types';

const Body = v.strictObject({ action: v.picklist(STEP_UP_ACTIONS) });

export const POST: RequestHandler = async ({ request, locals }) => {
	if (locals.actor?.type !== 'admin') return apiError({ code: 'unauthenticated', message: 'sign in with your passkey first' });
	const body = parse(Body, await readJson(request));
	if (!body.ok) return apiError({ code: 'invalid_request', message: body.issues[0]?.message ?? 'invalid request', issues: body.issues });
	const ctx = locals.app;
	const r = await startStepUp({ db: ctx.store.db, rp: relyingParty(ctx.config.origin), now: ctx.clock() }, locals.actor.id, body.value.action);
	return r.ok ? json(r.value, { headers: { 'cache-control': 'no-store' } }) : apiError(r.error);
};
