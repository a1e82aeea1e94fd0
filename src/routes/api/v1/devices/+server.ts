/** MA API: the devices enrolled with this MA, one filtered keyset page at a time. */
import { json, unwrap } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const GET = endpoint('GET /api/v1/devices', ({ ctx, ma, query }) =>
	json(unwrap(ctx.services.devices.page(ma.maId, { filter: query.filter, limit: query.limit, cursor: query.cursor })))
);
