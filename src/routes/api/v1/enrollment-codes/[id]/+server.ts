/** MA API: revoke an enrollment code. */
import { unwrap } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const DELETE = endpoint('DELETE /api/v1/enrollment-codes/{id}', ({ ctx, ma, event }) => {
	unwrap(ctx.services.enrollment.revoke(ma.maId, ma.actor, event.params.id!));
	return new Response(null, { status: 204 });
});
