/** MA API: one device, with this MA's part of its inventory only (SCOMO-ADC-3); this MA's name, notes and tags of it. */
import { json, unwrap } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const GET = endpoint('GET /api/v1/devices/{id}', ({ ctx, ma, event }) =>
	json(unwrap(ctx.services.devices.get(ma.maId, event.params.id!)))
);

export const PATCH = endpoint('PATCH /api/v1/devices/{id}', ({ ctx, ma, event, body }) =>
	json(unwrap(ctx.services.devices.updateIdentity(ma.maId, ma.actor, event.params.id!, body)))
);
