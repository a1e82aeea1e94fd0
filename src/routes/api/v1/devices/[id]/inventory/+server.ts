/** MA API: a device's inventory, filtered to this MA's components (SCOMO-ADC-3, SCOMO-DMS-04). */
import { json, unwrap } from '$lib/server/http';
import { forResource, route } from '../../../ma-api';

export const GET = route((event) => {
	const id = event.params.id!;
	const { ctx, maId } = forResource(event, 'read', 'device', id);
	unwrap(ctx.services.devices.get(maId, id));
	return json({ items: ctx.services.inventory.listForMa(id, maId) });
});
