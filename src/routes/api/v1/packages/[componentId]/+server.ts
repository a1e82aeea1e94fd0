/** MA API: one package with its versions. */
import { json, unwrap } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const GET = endpoint('GET /api/v1/packages/{componentId}', ({ ctx, ma, event }) =>
	json(unwrap(ctx.services.packages.get(ma.maId, event.params.componentId!)))
);
