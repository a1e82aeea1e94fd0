/** MA API: add devices to a static group, or take them out. */
import { json, unwrap } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const POST = endpoint('POST /api/v1/groups/{id}/members', ({ ctx, ma, event, body }) =>
	json(unwrap(ctx.services.groups.addMembers(ma.maId, ma.actor, event.params.id!, body.deviceIds)))
);

export const DELETE = endpoint('DELETE /api/v1/groups/{id}/members', ({ ctx, ma, event, body }) =>
	json(unwrap(ctx.services.groups.removeMembers(ma.maId, ma.actor, event.params.id!, body.deviceIds)))
);
