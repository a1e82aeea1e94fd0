/**
 * The OpenAPI 3.1 document of the REST API, generated from the route registry (api-routes.ts) and the
 * valibot schemas the routes validate with (JSON Schema 2020-12, which OpenAPI 3.1 uses as is).
 * Not exported from the contract index: the browser bundles never need the converter.
 */
import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import { API_ROUTES, type RouteSpec } from './api-routes';
import { ERROR_CODES, type ErrorCode } from './errors';
import { ApiErrorSchema } from './rest-responses';

type Json = Record<string, unknown>;

/** JSON Schema of a valibot schema: the input side (what a client sends), checks with no JSON Schema form left out. */
export function jsonSchemaOf(schema: v.GenericSchema, typeMode: 'input' | 'output' = 'input'): Json {
	const s = toJsonSchema(schema, { target: 'draft-2020-12', typeMode, errorMode: 'ignore' }) as Json;
	delete s.$schema;
	return s;
}

/** Errors every route may answer besides its own. */
const COMMON_ERRORS: ErrorCode[] = ['invalid_request', 'internal'];

function accessText(spec: RouteSpec): string {
	const a = spec.access;
	if (a.type === 'public') return `No bearer token; credential: ${a.credential}.`;
	const who =
		a.action === 'read'
			? 'an API token of scope read or operate, or an administrator session (viewer, operator or owner)'
			: a.action === 'operate'
				? 'an API token of scope operate, or an administrator session (operator or owner)'
				: 'an administrator session of an owner (API tokens never manage)';
	const resource = a.param ? `; the ${a.kind} named by {${a.param}} must belong to the MA, else 404 not_found` : '';
	return `Requires ${who} (policy: ${a.action} on ${a.kind}${resource}).`;
}

function operation(key: string, spec: RouteSpec): Json {
	const parameters: Json[] = [];
	for (const [name, description] of Object.entries(spec.params ?? {})) {
		parameters.push({ name, in: 'path', required: true, description, schema: { type: 'string' } });
	}
	if (spec.query) {
		for (const [name, schema] of Object.entries(spec.query.entries)) {
			parameters.push({ name, in: 'query', required: false, schema: jsonSchemaOf(schema as v.GenericSchema) });
		}
	}
	const responses: Json = {};
	const ok = spec.success;
	responses[String(ok.status)] = {
		description: ok.description,
		...(ok.schema
			? { content: { 'application/json': { schema: jsonSchemaOf(ok.schema, 'output') } } }
			: ok.contentType
				? { content: { [ok.contentType]: { schema: { type: 'string', contentMediaType: ok.contentType } } } }
				: {})
	};
	const errors = [...new Set([...spec.errors, ...COMMON_ERRORS])];
	const byStatus = new Map<number, ErrorCode[]>();
	for (const code of errors) byStatus.set(ERROR_CODES[code].status, [...(byStatus.get(ERROR_CODES[code].status) ?? []), code]);
	for (const [status, codes] of [...byStatus].sort((a, b) => a[0] - b[0])) {
		responses[String(status)] = {
			description: codes.map((c) => `\`${c}\`: ${ERROR_CODES[c].text}`).join(' '),
			content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
			'x-error-codes': codes
		};
	}
	return {
		operationId: key.replace(/[^A-Za-z0-9]+/g, '_').replace(/_$/, ''),
		tags: [spec.tag],
		summary: spec.summary,
		description: `${spec.description}\n\n${accessText(spec)}`,
		'x-access': spec.access,
		...(spec.access.type === 'bearer' ? { security: [{ bearer: [] }, { session: [] }] } : { security: [] }),
		...(parameters.length ? { parameters } : {}),
		...(spec.body
			? {
					requestBody: {
						required: !spec.bodyOptional,
						content: { 'application/json': { schema: jsonSchemaOf(spec.body) } }
					}
				}
			: {}),
		responses
	};
}

/** The whole document; `serverUrl` is the public origin (SCOMO_ORIGIN). */
export function openApiDocument(serverUrl: string, version: string): Json {
	const paths: Record<string, Json> = {};
	for (const [key, spec] of Object.entries(API_ROUTES) as [string, RouteSpec][]) {
		const [method, path] = key.split(' ') as [string, string];
		paths[path] = { ...(paths[path] ?? {}), [method.toLowerCase()]: operation(key, spec) };
	}
	return {
		openapi: '3.1.0',
		info: {
			title: 'SCOMO Relay REST API',
			version,
			description:
				'The MA API (/api/v1) for scripts and integrations, and the two device endpoints (/api/device). Every error is ' +
				'{"error":{"code","message","issues"?}} with the HTTP status of its code. The device protocol (socket.io) is in docs/protocol.md.'
		},
		servers: [{ url: serverUrl }],
		components: {
			securitySchemes: {
				bearer: { type: 'http', scheme: 'bearer', description: 'An MA API token (scope read or operate), made under Tokens in the console.' },
				session: { type: 'apiKey', in: 'cookie', name: 'scomo_session', description: 'An administrator’s passkey session (the console).' }
			},
			schemas: { Error: jsonSchemaOf(ApiErrorSchema, 'output') }
		},
		paths
	};
}
