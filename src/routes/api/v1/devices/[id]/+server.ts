/** MA API: one device, with this MA's part of its inventory only (SCOMO-ADC-3). */
import { json, unwrap } from '$lib/server/http';
import { forResource, route } from '../../ma-api';

export const GET = route((event) => {
	const id = event.params.id!;
	const { ctx, maId } = forResource(event, 'read', 'device', id);
	return json(unwrap(ctx.services.devices.get(maId, id)));
});
