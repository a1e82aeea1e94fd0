/**
 * POST { response }: an owner's assertion over the pending trust change. Verified here and stored as the
 * next link of the MA's trust chain; devices take the change only after verifying the same assertion.
 */
import { json } from '@sveltejs/kit';
import * as v from 'valibot';
import { parse } from '$lib/contract/common';
import { apiError, readJson } from '$lib/server/auth/http';
import { AssertionJson } from '$lib/server/auth/wire';
import type { RequestHandler } from './$types';

const Body = v.strictObject({ response: AssertionJson });

export const POST: RequestHandler = async ({ request, locals }) => {
	if (locals.actor?.type !== 'admin' || !locals.maId) return apiError({ code: 'unauthenticated', message: 'sign in with your passkey first' });
	const body = parse(Body, await readJson(request));
	if (!body.ok) return apiError({ code: 'invalid_request', message: body.issues[0]?.message ?? 'invalid request', issues: body.issues });
	const r = await locals.app.services.signing.trustChanges.approve(locals.maId, locals.actor.id, body.value.response as never);
	return r.ok ? json({ ok: true, epoch: r.value.epoch }) : apiError(r.error);
};
