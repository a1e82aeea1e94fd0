/**
 * Rotate the MA's command-signing key (SCOMO-SEC-01): owners only ('manage' on settings; API tokens never
 * manage). The old key stays valid for `overlapSeconds` (default 7 days, at least one day); devices receive
 * the new key in a trust statement signed by the old one.
 */
import { json } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const POST = endpoint('POST /api/v1/signing-keys/rotate', ({ ctx, ma, body }) => {
	const overlapMs = body?.overlapSeconds === undefined ? undefined : body.overlapSeconds * 1000;
	return json(ctx.services.signing.rotate(ma.maId, ma.actor, overlapMs), 201);
});
