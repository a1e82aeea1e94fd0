/** MA API: one device group of this MA (another MA's is 404, like a missing one). */
import { json, unwrap } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const GET = endpoint('GET /api/v1/groups/{id}', ({ ctx, ma, event }) => json(unwrap(ctx.services.groups.get(ma.maId, event.params.id!))));

export const PATCH = endpoint('PATCH /api/v1/groups/{id}', ({ ctx, ma, event, body }) =>
	json(unwrap(ctx.services.groups.update(ma.maId, ma.actor, event.params.id!, body)))
);

export const DELETE = endpoint('DELETE /api/v1/groups/{id}', ({ ctx, ma, event }) => {
	unwrap(ctx.services.groups.remove(ma.maId, ma.actor, event.params.id!));
	return new Response(null, { status: 204 });
});
