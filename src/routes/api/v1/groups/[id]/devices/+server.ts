/** MA API: the devices of a group, paged like the devices list. */
import { json, unwrap } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const GET = endpoint('GET /api/v1/groups/{id}/devices', ({ ctx, ma, event, query }) =>
	json(unwrap(ctx.services.groups.devicesPage(ma.maId, event.params.id!, { limit: query.limit, cursor: query.cursor })))
);
