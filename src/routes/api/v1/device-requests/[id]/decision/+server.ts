/** MA API: approve (creates the operation) or refuse a device request (SCOMO-Device-06). */
import { json, unwrap } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const POST = endpoint('POST /api/v1/device-requests/{id}/decision', ({ ctx, ma, event, body }) =>
	json(unwrap(ctx.services.deviceRequests.decide(ma.maId, ma.actor, event.params.id!, body)))
);
