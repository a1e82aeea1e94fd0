/** MA API: device-initiated requests (SCOMO-Device-06), one keyset page at a time. */
import { json, unwrap } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const GET = endpoint('GET /api/v1/device-requests', ({ ctx, ma, query }) => json(unwrap(ctx.services.deviceRequests.page(ma.maId, query))));
