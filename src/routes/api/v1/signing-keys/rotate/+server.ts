/**
 * Rotate the MA's command-signing key (SCOMO-SEC-01): owners only ('manage' on settings; API tokens never
 * manage). The old key stays valid for `overlapSeconds` (default 7 days, at least one day); devices receive
 * the new key in a trust statement signed by the old one.
 */
import * as v from 'valibot';
import { json, parseBody, readJson } from '$lib/server/http';
import { forCollection, route } from '../../ma-api';
import { MIN_ROTATION_OVERLAP_MS } from '$lib/server/signing/ma-keys';

const MIN_S = MIN_ROTATION_OVERLAP_MS / 1000;

const RotateBody = v.strictObject({
	overlapSeconds: v.optional(
		v.pipe(
			v.number(),
			v.integer(),
			v.minValue(MIN_S, `overlapSeconds must be at least ${MIN_S} (one day): devices learn the new key only with their next command, signed by the old key too; a shorter overlap strands devices that are offline meanwhile (they must re-enroll)`),
			v.maxValue(90 * 24 * 3600)
		)
	)
});

export const POST = route(async (event) => {
	const { ctx, maId, actor } = forCollection(event, 'manage', 'settings');
	const hasBody = (event.request.headers.get('content-length') ?? '0') !== '0';
	const body = hasBody ? parseBody(RotateBody, await readJson(event.request)) : {};
	const overlapMs = body.overlapSeconds === undefined ? undefined : body.overlapSeconds * 1000;
	return json(ctx.services.signing.rotate(maId, actor, overlapMs), 201);
});
