/** MA API: a device's inventory, filtered to this MA's components (SCOMO-ADC-3, SCOMO-DMS-04). */
import { json, unwrap } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const GET = endpoint('GET /api/v1/devices/{id}/inventory', ({ ctx, ma, event }) => {
	const id = event.params.id!;
	unwrap(ctx.services.devices.get(ma.maId, id));
	return json({ items: ctx.services.inventory.listForMa(id, ma.maId) });
});
