/**
 * POST { batchId }: WebAuthn request options to approve a pending high-risk batch (SCOMO-SEC-02). The
 * challenge is the digest of the batch's signed header, so the administrator's passkey signs exactly that
 * batch; allowCredentials lists the administrator's own passkeys.
 */
import { json } from '@sveltejs/kit';
import { parse } from '$lib/contract/common';
import { apiError, readJson } from '$lib/server/auth/http';
import { authorizeResource } from '$lib/server/authz';
import { ApprovalOptionsBody } from '../wire';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, locals }) => {
	if (locals.actor?.type !== 'admin') return apiError({ code: 'unauthenticated', message: 'sign in with your passkey first' });
	const body = parse(ApprovalOptionsBody, await readJson(request));
	if (!body.ok) return apiError({ code: 'invalid_request', message: body.issues[0]?.message ?? 'invalid request', issues: body.issues });
	const ctx = locals.app;
	// The one policy decides (core/policy.ts 'approve' on the batch); another MA's batch answers like a missing one.
	const may = authorizeResource(ctx.store.db, { actor: locals.actor, maId: locals.maId }, 'approve', 'batch', body.value.batchId);
	if (!may.ok) return apiError(may.error);
	const r = ctx.services.signing.approvals.options(may.value, locals.actor.id, body.value.batchId);
	return r.ok ? json(r.value, { headers: { 'cache-control': 'no-store' } }) : apiError(r.error);
};
