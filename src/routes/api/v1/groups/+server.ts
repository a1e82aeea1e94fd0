/** MA API: this MA's device groups, one keyset page at a time, and creating one (static or dynamic). */
import { json, unwrap } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const GET = endpoint('GET /api/v1/groups', ({ ctx, ma, query }) =>
	json(unwrap(ctx.services.groups.page(ma.maId, { limit: query.limit, cursor: query.cursor })))
);

export const POST = endpoint('POST /api/v1/groups', ({ ctx, ma, body }) => json(unwrap(ctx.services.groups.create(ma.maId, ma.actor, body)), 201));
