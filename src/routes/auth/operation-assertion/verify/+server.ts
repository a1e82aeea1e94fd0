/**
 * POST { batchId, response }: the administrator's assertion over the batch digest (SCOMO-SEC-02). Verified
 * here, stored with the batch, and the batch is relayed; every device verifies the same assertion again.
 */
import { json } from '@sveltejs/kit';
import { parse } from '$lib/contract/common';
import { apiError, readJson } from '$lib/server/auth/http';
import { authorizeResource } from '$lib/server/authz';
import { ApprovalVerifyBody } from '../wire';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, locals }) => {
	if (locals.actor?.type !== 'admin') return apiError({ code: 'unauthenticated', message: 'sign in with your passkey first' });
	const body = parse(ApprovalVerifyBody, await readJson(request));
	if (!body.ok) return apiError({ code: 'invalid_request', message: body.issues[0]?.message ?? 'invalid request', issues: body.issues });
	const ctx = locals.app;
	const { batchId, response } = body.value;
	// The one policy decides (core/policy.ts 'approve' on the batch); another MA's batch answers like a missing one.
	const may = authorizeResource(ctx.store.db, { actor: locals.actor, maId: locals.maId }, 'approve', 'batch', batchId);
	if (!may.ok) return apiError(may.error);
	const r = await ctx.services.signing.approvals.approve(may.value, { type: 'admin', id: locals.actor.id }, batchId, {
		...response,
		response: { ...response.response, userHandle: response.response.userHandle ?? undefined },
		clientExtensionResults: response.clientExtensionResults ?? {}
	});
	if (!r.ok) return apiError(r.error);
	// Approved: now, and only now, the batch goes to its devices (the offline ones get it on connect).
	void ctx.services.operations.relayBatch(batchId);
	return json({ ok: true, batchId });
};
