/**
 * Every /api error has one shape, {error:{code,message}} with the status of its code, including the ones
 * SvelteKit and Node's HTTP parser would answer with HTML or plain text; and the API describes itself
 * (OpenAPI document, reference page).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import net from 'node:net';
import { startTestServer, newMa, type TestServer } from '../support/test-server';
import { API_ROUTES } from '../../src/lib/contract/api-routes';
import { ERROR_CODES } from '../../src/lib/contract/errors';

let server: TestServer;
let token: string;

beforeAll(async () => {
	server = await startTestServer();
	token = newMa(server, 'Shape MA').token;
});
afterAll(async () => {
	await server?.close();
});

async function expectShape(res: Response, status: number, code: string) {
	expect(res.status).toBe(status);
	expect(res.headers.get('content-type')).toMatch(/^application\/json/);
	const body = (await res.json()) as { error: { code: string; message: string } };
	expect(body.error.code).toBe(code);
	expect(ERROR_CODES[code as keyof typeof ERROR_CODES].status).toBe(status);
	expect(typeof body.error.message).toBe('string');
	expect(body.error.message.length).toBeGreaterThan(0);
}

/** A raw HTTP/1.1 exchange, for requests fetch would not send as they are. */
function raw(request: string): Promise<string> {
	const url = new URL(server.url);
	return new Promise((resolve, reject) => {
		const socket = net.connect(Number(url.port), url.hostname, () => socket.end(request));
		let text = '';
		socket.on('data', (d) => (text += d.toString('utf8')));
		socket.on('end', () => resolve(text));
		socket.on('error', reject);
	});
}

describe('errors in one shape on /api', () => {
	it('a malformed path answers 400 invalid_request, not an HTML page', async () => {
		await expectShape(await fetch(`${server.url}/api/device/bundles/%ZZ`), 400, 'invalid_request');
		await expectShape(await fetch(`${server.url}/api/v1/operations/%E0%A4%A`, { headers: { authorization: `Bearer ${token}` } }), 400, 'invalid_request');
	});

	it('a method the route does not take answers 405 method_not_allowed with the allowed ones', async () => {
		const res = await fetch(`${server.url}/api/v1/devices`, { method: 'PUT', headers: { authorization: `Bearer ${token}` } });
		expect(res.headers.get('allow')).toMatch(/GET/);
		await expectShape(res, 405, 'method_not_allowed');
		await expectShape(await fetch(`${server.url}/api/v1/openapi.json`, { method: 'DELETE' }), 405, 'method_not_allowed');
	});

	it('a form content type instead of JSON answers 403 forbidden, with or without an Origin', async () => {
		for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
			const res = await fetch(`${server.url}/api/v1/operations`, {
				method: 'POST',
				headers: { authorization: `Bearer ${token}`, 'content-type': type },
				body: 'deviceIds=1'
			});
			await expectShape(res, 403, 'forbidden');
		}
		const crossSite = await fetch(`${server.url}/api/device/enroll`, {
			method: 'POST',
			headers: { 'content-type': 'text/plain', origin: 'https://evil.example' },
			body: '{}'
		});
		await expectShape(crossSite, 403, 'forbidden');
	});

	it('headers over the limit answer 431 headers_too_large in JSON', async () => {
		const text = await raw(`GET /api/v1/devices HTTP/1.1\r\nhost: localhost\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`);
		const [head, body] = text.split('\r\n\r\n');
		expect(head).toMatch(/^HTTP\/1\.1 431 /);
		expect(head).toMatch(/content-type: application\/json/i);
		expect(JSON.parse(body!)).toMatchObject({ error: { code: 'headers_too_large' } });
	});

	it('unknown paths, bad JSON, missing tokens and schema errors keep the same shape', async () => {
		await expectShape(await fetch(`${server.url}/api/nothing`), 404, 'not_found');
		await expectShape(await fetch(`${server.url}/api/v1/devices`), 401, 'unauthenticated');
		const badJson = await fetch(`${server.url}/api/v1/operations`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: '{'
		});
		await expectShape(badJson, 400, 'invalid_request');
		const badQuery = await fetch(`${server.url}/api/v1/operations?limit=0`, { headers: { authorization: `Bearer ${token}` } });
		await expectShape(badQuery, 400, 'invalid_request');
	});

	it('pages outside /api keep their HTML error pages', async () => {
		const res = await fetch(`${server.url}/no-such-page`);
		expect(res.status).toBe(404);
		expect(res.headers.get('content-type')).toMatch(/text\/html/);
	});
});

describe('the API describes itself', () => {
	it('serves the OpenAPI 3.1 document with every registered route', async () => {
		const res = await fetch(`${server.url}/api/v1/openapi.json`);
		expect(res.status).toBe(200);
		const doc = (await res.json()) as { openapi: string; servers: { url: string }[]; paths: Record<string, Record<string, unknown>> };
		expect(doc.openapi).toBe('3.1.0');
		expect(doc.servers[0]!.url).toBe(server.url);
		for (const key of Object.keys(API_ROUTES)) {
			const [method, path] = key.split(' ') as [string, string];
			expect(doc.paths[path]?.[method.toLowerCase()], key).toBeDefined();
		}
	});

	it('answers what its document says: list answers validate against their published schemas', async () => {
		const { ListOf } = await import('../../src/lib/contract/rest-responses');
		const v = await import('valibot');
		const auth = { headers: { authorization: `Bearer ${token}` } };
		for (const [p, schema] of [
			['/api/v1/devices', ListOf.devices],
			['/api/v1/operations', ListOf.operations],
			['/api/v1/packages', ListOf.packages],
			['/api/v1/enrollment-codes', ListOf.enrollmentCodes],
			['/api/v1/device-requests', ListOf.deviceRequests],
			['/api/v1/signing-keys', ListOf.signingKeys]
		] as const) {
			const body = await (await fetch(`${server.url}${p}`, auth)).json();
			expect(v.safeParse(schema, body).success, p).toBe(true);
		}
		await fetch(`${server.url}/api/v1/enrollment-codes`, { method: 'POST', ...auth, headers: { ...auth.headers, 'content-type': 'application/json' }, body: '{}' });
		const codes = await (await fetch(`${server.url}/api/v1/enrollment-codes`, auth)).json();
		expect(codes.items).toHaveLength(1);
		expect(v.safeParse(ListOf.enrollmentCodes, codes).success).toBe(true);
		expect(v.safeParse(ListOf.enrollmentCodes, { items: [{ ...codes.items[0], extra: 1 }] }).success).toBe(false);
	});

	it('has a readable reference page listing every route', async () => {
		const res = await fetch(`${server.url}/api/docs`);
		expect(res.status).toBe(200);
		const html = await res.text();
		for (const key of Object.keys(API_ROUTES)) expect(html, key).toContain(key.split(' ')[1]!.replace(/&/g, '&amp;'));
	});
});
