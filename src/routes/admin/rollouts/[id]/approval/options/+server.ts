/**
 * POST { rolloutId }: WebAuthn request options to approve a high-risk rollout awaiting approval (SCOMO-SEC-02,
 * issue #17). The challenge is the digest of the rollout's definition (its steps with package digests, consent
 * mode, intent, end and size), so the passkey approves exactly that; every device checks it again.
 */
import { json } from '@sveltejs/kit';
import { parse } from '$lib/contract/common';
import { apiError, readJson } from '$lib/server/auth/http';
import { authorizeResource } from '$lib/server/authz';
import { RolloutApprovalOptionsBody } from '../wire';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, locals, params }) => {
	if (locals.actor?.type !== 'admin') return apiError({ code: 'unauthenticated', message: 'sign in with your passkey first' });
	const body = parse(RolloutApprovalOptionsBody, await readJson(request));
	if (!body.ok || body.value.rolloutId !== params.id)
		return apiError({ code: 'invalid_request', message: body.ok ? 'the body names another rollout' : (body.issues[0]?.message ?? 'invalid request') });
	// The one policy decides (core/policy.ts 'approve' on the rollout); another MA's rollout answers like a missing one.
	const may = authorizeResource(locals.app.store.db, { actor: locals.actor, maId: locals.maId }, 'approve', 'rollout', params.id);
	if (!may.ok) return apiError(may.error);
	const r = locals.app.services.rollouts.approvalOptions(may.value, locals.actor.id, params.id);
	return r.ok ? json(r.value, { headers: { 'cache-control': 'no-store' } }) : apiError(r.error);
};
