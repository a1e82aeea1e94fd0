/** The REST API reference page: the OpenAPI document (src/lib/contract/openapi.ts) laid out for people. */
import { openApiDocument } from '$lib/contract/openapi';
import type { PageServerLoad } from './$types';

type Op = {
	summary: string;
	description: string;
	tags: string[];
	parameters?: { name: string; in: string; description?: string; schema: unknown }[];
	requestBody?: { required: boolean; content: Record<string, { schema: unknown }> };
	responses: Record<string, { description: string; content?: Record<string, { schema: unknown }>; 'x-error-codes'?: string[] }>;
};

export const load: PageServerLoad = ({ locals }) => {
	const ctx = locals.app;
	const doc = openApiDocument(ctx.config.origin, ctx.version) as { info: { version: string }; paths: Record<string, Record<string, Op>> };
	const routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
		Object.entries(methods).map(([method, op]) => ({
			id: `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, '-'),
			method: method.toUpperCase(),
			path,
			tag: op.tags[0] ?? '',
			summary: op.summary,
			description: op.description,
			params: (op.parameters ?? []).map((p) => ({ name: p.name, in: p.in, description: p.description ?? '', schema: JSON.stringify(p.schema) })),
			body: op.requestBody ? JSON.stringify(op.requestBody.content['application/json']?.schema, null, 2) : null,
			bodyRequired: op.requestBody?.required ?? false,
			responses: Object.entries(op.responses).map(([status, r]) => ({
				status,
				description: r.description,
				codes: r['x-error-codes'] ?? [],
				schema: r.content && !r['x-error-codes'] ? JSON.stringify(Object.values(r.content)[0]?.schema, null, 2) : null
			}))
		}))
	);
	const tags = [...new Set(routes.map((r) => r.tag))];
	return { version: doc.info.version, tags, routes };
};
