/** MA API: one operation by its correlator. */
import { json, unwrap } from '$lib/server/http';
import { forResource, route } from '../../ma-api';

export const GET = route((event) => {
	const correlator = event.params.correlator!;
	const { ctx, maId } = forResource(event, 'read', 'operation', correlator);
	return json(unwrap(ctx.services.operations.get(maId, correlator)));
});
