/** The OpenAPI 3.1 document of the REST API, generated from the route registry (src/lib/contract/api-routes.ts). */
import { json } from '$lib/server/http';
import { endpoint } from '$lib/server/api-endpoint';
import { openApiDocument } from '$lib/contract/openapi';

export const GET = endpoint('GET /api/v1/openapi.json', ({ ctx }) => json(openApiDocument(ctx.config.origin, ctx.version)));
