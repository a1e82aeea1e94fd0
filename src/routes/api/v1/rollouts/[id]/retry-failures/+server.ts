/** MA API: the rollout action 'retry-failures' as a sub-resource (docs/rollouts.md). */
import { json, unwrap } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const POST = endpoint('POST /api/v1/rollouts/{id}/retry-failures', ({ ctx, ma, event }) => json(unwrap(ctx.services.rollouts.retryFailures(ma.maId, ma.actor, event.params.id!))));
