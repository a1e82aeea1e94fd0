/** MA API: the devices enrolled with this MA. */
import { json } from '$lib/server/http';
import { forCollection, route } from '../ma-api';

export const GET = route((event) => {
	const { ctx, maId } = forCollection(event, 'read', 'device');
	return json({ items: ctx.services.devices.list(maId) });
});
