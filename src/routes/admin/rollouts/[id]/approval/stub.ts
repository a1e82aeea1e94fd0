/**
 * STUB — rollout passkey approval (issue #17, SCOMO-SEC-02). The server part (signing.rolloutApprovals.options /
 * .approve, verifying an assertion over the rollout's definition and calling rollouts.attachRolloutApproval) is
 * merged separately. Until it is wired here, both steps answer 501 with a clear message, after the same policy
 * check the real endpoints make ('approve' on the rollout; another MA's rollout is not_found).
 * To wire: options → signing.rolloutApprovals.options(maId, adminId, rolloutId);
 *          verify  → signing.rolloutApprovals.approve(maId, actor, rolloutId, response).
 */
import { json } from '@sveltejs/kit';
import { apiError } from '$lib/server/auth/http';
import { authorizeResource } from '$lib/server/authz';

export function rolloutApprovalStub(locals: App.Locals, rolloutId: string): Response {
	if (locals.actor?.type !== 'admin') return apiError({ code: 'unauthenticated', message: 'sign in with your passkey first' });
	const may = authorizeResource(locals.app.store.db, { actor: locals.actor, maId: locals.maId }, 'approve', 'rollout', rolloutId);
	if (!may.ok) return apiError(may.error);
	return json(
		{ error: { code: 'not_implemented', message: 'Approving a rollout with a passkey is not available on this server yet (signing.rolloutApprovals is not merged). Nothing was approved.' } },
		{ status: 501, headers: { 'cache-control': 'no-store' } }
	);
}
