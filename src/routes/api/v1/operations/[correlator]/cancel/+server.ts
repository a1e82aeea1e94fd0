/** MA API: cancel a queued or delivered operation (result 1462). */
import { json, unwrap } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const POST = endpoint('POST /api/v1/operations/{correlator}/cancel', ({ ctx, ma, event }) =>
	json(unwrap(ctx.services.operations.cancel(ma.maId, ma.actor, event.params.correlator!)))
);
