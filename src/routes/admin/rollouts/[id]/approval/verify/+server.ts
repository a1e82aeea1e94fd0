/**
 * POST { rolloutId, response }: the administrator's assertion over the rollout's definition (SCOMO-SEC-02,
 * issue #17). Verified and stored with the rollout; from then on every batch of the rollout carries the
 * definition and this assertion, and relays at once. Every device verifies both again.
 */
import { json } from '@sveltejs/kit';
import { parse } from '$lib/contract/common';
import { apiError, readJson } from '$lib/server/auth/http';
import { authorizeResource } from '$lib/server/authz';
import { RolloutApprovalVerifyBody } from '../wire';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, locals, params }) => {
	if (locals.actor?.type !== 'admin') return apiError({ code: 'unauthenticated', message: 'sign in with your passkey first' });
	const body = parse(RolloutApprovalVerifyBody, await readJson(request));
	if (!body.ok || body.value.rolloutId !== params.id)
		return apiError({ code: 'invalid_request', message: body.ok ? 'the body names another rollout' : (body.issues[0]?.message ?? 'invalid request') });
	const may = authorizeResource(locals.app.store.db, { actor: locals.actor, maId: locals.maId }, 'approve', 'rollout', params.id);
	if (!may.ok) return apiError(may.error);
	const { response } = body.value;
	const r = await locals.app.services.rollouts.approve(may.value, { type: 'admin', id: locals.actor.id }, params.id, {
		...response,
		response: { ...response.response, userHandle: response.response.userHandle ?? undefined },
		clientExtensionResults: response.clientExtensionResults ?? {}
	});
	return r.ok ? json({ ok: true, rolloutId: params.id, status: r.value.status }) : apiError(r.error);
};
