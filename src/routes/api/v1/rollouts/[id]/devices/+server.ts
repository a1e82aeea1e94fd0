/** MA API: a rollout's devices with their state and the live operation of their current try. */
import { json, unwrap } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const GET = endpoint('GET /api/v1/rollouts/{id}/devices', ({ ctx, ma, event, query }) =>
	json(unwrap(ctx.services.rollouts.devices(ma.maId, event.params.id!, query)))
);
