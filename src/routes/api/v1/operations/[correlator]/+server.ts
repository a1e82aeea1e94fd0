/** MA API: one operation by its correlator. */
import { json, unwrap } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const GET = endpoint('GET /api/v1/operations/{correlator}', ({ ctx, ma, event }) =>
	json(unwrap(ctx.services.operations.get(ma.maId, event.params.correlator!)))
);
