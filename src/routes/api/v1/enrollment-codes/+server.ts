/** MA API: one-time enrollment codes (create, list one keyset page at a time). */
import { json, unwrap } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const POST = endpoint('POST /api/v1/enrollment-codes', ({ ctx, ma, body }) =>
	json(unwrap(ctx.services.enrollment.create(ma.maId, ma.actor, body)), 201)
);

export const GET = endpoint('GET /api/v1/enrollment-codes', ({ ctx, ma, query }) => json(unwrap(ctx.services.enrollment.page(ma.maId, query))));
