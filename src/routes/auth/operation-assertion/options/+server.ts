/**
 * POST { batchId }: WebAuthn request options to approve a pending high-risk batch (SCOMO-SEC-02). The
 * challenge is the digest of the batch's signed header, so the administrator's passkey signs exactly that
 * batch; allowCredentials lists the administrator's own passkeys.
 */
import { json } from '@sveltejs/kit';
import { appContext } from '$lib/server/app-context';
import { parse } from '$lib/contract/common';
import { apiError, readJson } from '$lib/server/auth/http';
import { ApprovalOptionsBody } from '../wire';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, locals }) => {
	if (locals.actor?.type !== 'admin' || !locals.maId) return apiError({ code: 'unauthenticated', message: 'sign in with your passkey first' });
	const body = parse(ApprovalOptionsBody, await readJson(request));
	if (!body.ok) return apiError({ code: 'invalid_request', message: body.issues[0]?.message ?? 'invalid request', issues: body.issues });
	const r = appContext().services.signing.approvals.options(locals.maId, locals.actor.id, body.value.batchId);
	return r.ok ? json(r.value, { headers: { 'cache-control': 'no-store' } }) : apiError(r.error);
};
