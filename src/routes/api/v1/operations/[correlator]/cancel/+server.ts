/** MA API: cancel a queued or delivered operation (result 1462). */
import { json, unwrap } from '$lib/server/http';
import { forResource, route } from '../../../ma-api';

export const POST = route((event) => {
	const correlator = event.params.correlator!;
	const { ctx, maId, actor } = forResource(event, 'operate', 'operation', correlator);
	return json(unwrap(ctx.services.operations.cancel(maId, actor, correlator)));
});
