/**
 * MA API: decommission a device from this MA (issue #17): its enrollment ends, this MA's data of it is erased on
 * the server, and the device is told by an MA-signed message to erase it there (now, or on its next connection).
 * Other MAs keep the device. Owners and operators (and operate tokens): 'operate' on the device
 * (services/decommission.ts says why). The body repeats the device ID as the confirmation.
 */
import { json, unwrap } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const POST = endpoint('POST /api/v1/devices/{id}/decommission', async ({ ctx, ma, event, body }) =>
	json(unwrap(await ctx.services.decommission.decommission(ma.maId, ma.actor, event.params.id!, body.confirm)))
);
