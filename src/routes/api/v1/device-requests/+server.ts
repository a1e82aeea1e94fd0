/** MA API: device-initiated requests (SCOMO-Device-06). */
import { json } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const GET = endpoint('GET /api/v1/device-requests', ({ ctx, ma, query }) =>
	json({ items: ctx.services.deviceRequests.list(ma.maId, query.status) })
);
