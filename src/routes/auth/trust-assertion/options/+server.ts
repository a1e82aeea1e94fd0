/**
 * POST {}: WebAuthn request options for an owner to approve the MA's pending trust change (new approving
 * passkeys, a removed one, a weaker high-risk policy). The challenge is the digest of the grant, so the
 * passkey signs exactly that change; only the owner's passkeys that devices already trust are allowed.
 */
import { json } from '@sveltejs/kit';
import { apiError } from '$lib/server/auth/http';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ locals }) => {
	if (locals.actor?.type !== 'admin' || !locals.maId) return apiError({ code: 'unauthenticated', message: 'sign in with your passkey first' });
	const r = locals.app.services.signing.trustChanges.options(locals.maId, locals.actor.id);
	return r.ok ? json(r.value, { headers: { 'cache-control': 'no-store' } }) : apiError(r.error);
};
