/** MA API: one rollout with its definition, per-phase tallies and timeline. */
import { json, unwrap } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const GET = endpoint('GET /api/v1/rollouts/{id}', ({ ctx, ma, event }) => json(unwrap(ctx.services.rollouts.get(ma.maId, event.params.id!))));
