/** MA API: the rollout action 'resume' as a sub-resource (docs/rollouts.md). */
import { json, unwrap } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const POST = endpoint('POST /api/v1/rollouts/{id}/resume', ({ ctx, ma, event, body }) => json(unwrap(ctx.services.rollouts.resume(ma.maId, ma.actor, event.params.id!, body?.note))));
