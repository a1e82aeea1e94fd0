/** MA API: staged rollouts, listed one keyset page at a time, and created as drafts (docs/rollouts.md). */
import { json, unwrap } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const GET = endpoint('GET /api/v1/rollouts', ({ ctx, ma, query }) => json(unwrap(ctx.services.rollouts.page(ma.maId, query))));

export const POST = endpoint('POST /api/v1/rollouts', ({ ctx, ma, body }) => json(unwrap(ctx.services.rollouts.create(ma.maId, ma.actor, body)), 201));
