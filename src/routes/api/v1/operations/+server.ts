/** MA API: create operations (one or many devices, one step or a batch), list operations one keyset page at a time. */
import { json, unwrap } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const POST = endpoint('POST /api/v1/operations', ({ ctx, ma, body }) =>
	json(unwrap(ctx.services.operations.create(ma.maId, ma.actor, body)), 202)
);

export const GET = endpoint('GET /api/v1/operations', ({ ctx, ma, query }) => json(unwrap(ctx.services.operations.page(ma.maId, query))));
