/** MA API: upload a package version (manifest + bundle), list packages one keyset page at a time. */
import { json, unwrap } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';

export const POST = endpoint('POST /api/v1/packages', ({ ctx, ma, body }) =>
	json(unwrap(ctx.services.packages.upload(ma.maId, ma.actor, body)), 201)
);

export const GET = endpoint('GET /api/v1/packages', ({ ctx, ma, query }) => json(unwrap(ctx.services.packages.page(ma.maId, query))));
