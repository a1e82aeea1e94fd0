/**
 * The REST API and its description cannot drift: every method a +server.ts under src/routes/api exports is
 * built by endpoint() from its registry entry (so it validates with the schemas the document shows), every
 * registry entry has its route, and the OpenAPI document describes each with its body, query, answers and
 * errors.
 */
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { API_ROUTES, type RouteSpec } from './api-routes';
import { jsonSchemaOf, openApiDocument } from './openapi';
import { ERROR_CODES } from './errors';

const ROUTES = path.resolve(import.meta.dirname, '../../routes');
const API_DIRS = ['api/v1', 'api/device'];

function serverFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		if (statSync(full).isDirectory()) return serverFiles(full);
		return name === '+server.ts' ? [full] : [];
	});
}

/** `/api/v1/operations/[correlator]/+server.ts` → `/api/v1/operations/{correlator}`. */
const apiPathOf = (file: string) =>
	'/' + path.relative(ROUTES, path.dirname(file)).split(path.sep).map((s) => s.replace(/^\[(\w+)\]$/, '{$1}')).join('/');

const exported = API_DIRS.flatMap((d) => serverFiles(path.join(ROUTES, d))).flatMap((file) => {
	const text = readFileSync(file, 'utf8');
	return [...text.matchAll(/^export (?:const|function|async function) ([A-Za-z]+)/gm)].map((m) => ({
		file,
		method: m[1]!,
		key: `${m[1]} ${apiPathOf(file)}`,
		text
	}));
});

describe('the REST route registry', () => {
	it('finds the routes (the scan itself works)', () => {
		expect(exported.length).toBeGreaterThanOrEqual(20);
	});

	it.each(exported.map((e) => [e.key, e] as const))('%s is described and built from its description', (key, e) => {
		expect(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], `${e.file} exports ${e.method}`).toContain(e.method);
		expect(Object.keys(API_ROUTES), `no registry entry for ${key}`).toContain(key);
		const built = new RegExp(`export const ${e.method} = endpoint\\(\\s*'${key.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}'`);
		expect(e.text, `${e.file}: ${e.method} must be endpoint('${key}', ...)`).toMatch(built);
	});

	it('has a route for every entry', () => {
		const keys = new Set(exported.map((e) => e.key));
		for (const key of Object.keys(API_ROUTES)) expect(keys, `no route for ${key}`).toContain(key);
	});

	it('says something about every entry, and only known error codes', () => {
		for (const [key, spec] of Object.entries(API_ROUTES) as [string, RouteSpec][]) {
			expect(spec.summary.length, key).toBeGreaterThan(5);
			expect(spec.description.length, key).toBeGreaterThan(5);
			for (const code of spec.errors) expect(Object.keys(ERROR_CODES)).toContain(code);
			const params = [...key.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
			expect(Object.keys(spec.params ?? {}).sort(), `${key} path parameters`).toEqual(params.sort());
			if (spec.access.type === 'bearer' && spec.access.param) expect(params).toContain(spec.access.param);
		}
	});
});

describe('the OpenAPI document', () => {
	const doc = openApiDocument('http://localhost:3000', 'test') as {
		openapi: string;
		paths: Record<string, Record<string, { description: string; requestBody?: { content: Record<string, { schema: unknown }> }; parameters?: { name: string; in: string; schema?: unknown }[]; responses: Record<string, { content?: Record<string, { schema: unknown }> }>; security: unknown[] }>>;
	};

	it('is OpenAPI 3.1 and lists every route with its access rule', () => {
		expect(doc.openapi).toBe('3.1.0');
		for (const [key, spec] of Object.entries(API_ROUTES) as [string, RouteSpec][]) {
			const [method, p] = key.split(' ') as [string, string];
			const op = doc.paths[p]?.[method.toLowerCase()];
			expect(op, key).toBeDefined();
			expect(op!.description).toContain(spec.description);
			expect(op!.description).toMatch(spec.access.type === 'bearer' ? /Requires/ : /No bearer token/);
			expect(op!.security.length > 0).toBe(spec.access.type === 'bearer');
		}
	});

	it('shows the very schemas the routes validate bodies and queries with', () => {
		for (const [key, spec] of Object.entries(API_ROUTES) as [string, RouteSpec][]) {
			const [method, p] = key.split(' ') as [string, string];
			const op = doc.paths[p]![method.toLowerCase()]!;
			if (spec.body) expect(op.requestBody!.content['application/json']!.schema, key).toEqual(jsonSchemaOf(spec.body));
			else expect(op.requestBody, key).toBeUndefined();
			const query = (op.parameters ?? []).filter((q) => q.in === 'query');
			expect(query.map((q) => q.name).sort(), key).toEqual(Object.keys(spec.query?.entries ?? {}).sort());
			expect(Object.keys(op.responses), key).toContain(String(spec.success.status));
			for (const code of spec.errors) expect(Object.keys(op.responses), `${key} ${code}`).toContain(String(ERROR_CODES[code].status));
		}
	});

	it('writes the body limits of the contract into the schema (e.g. at most 20 steps per batch)', () => {
		const create = doc.paths['/api/v1/operations']!.post!.requestBody!.content['application/json']!.schema as {
			properties: { operations: { maxItems: number }; consentMode: { enum: string[] } };
			required: string[];
			additionalProperties: boolean;
		};
		expect(create.properties.operations.maxItems).toBe(20);
		expect(create.properties.consentMode.enum).toEqual(['silent', 'notify', 'confirm']);
		expect(create.required).toEqual(expect.arrayContaining(['deviceIds', 'operations', 'consentMode']));
		expect(create.additionalProperties).toBe(false);
	});
});
