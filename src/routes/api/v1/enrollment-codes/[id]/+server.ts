/** MA API: revoke an enrollment code. */
import { unwrap } from '$lib/server/http';
import { forResource, route } from '../../ma-api';

export const DELETE = route((event) => {
	const id = event.params.id!;
	const { ctx, maId, actor } = forResource(event, 'operate', 'enrollment-code', id);
	unwrap(ctx.services.enrollment.revoke(maId, actor, id));
	return new Response(null, { status: 204 });
});
