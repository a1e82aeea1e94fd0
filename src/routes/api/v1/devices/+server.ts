/** MA API: the devices enrolled with this MA. */
import { json } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const GET = endpoint('GET /api/v1/devices', ({ ctx, ma }) => json({ items: ctx.services.devices.list(ma.maId) }));
