/**
 * Property-based fuzzing of every REST body of src/lib/contract/rest.ts (fast-check) against the real server
 * in this process: arbitrary and mutated JSON, text that is not JSON, wrong content types. Every answer is
 * either a success or `{ error: { code } }` with a stable code and its documented HTTP status (never a 5xx),
 * a body the contract refuses is 400 invalid_request, a refused request changes no row, and the database
 * stays consistent.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import type * as v from 'valibot';
import {
	CreateEnrollmentCode,
	CreateOperations,
	DecideDeviceRequest,
	EnrollRequest,
	ERROR_CODES,
	UpdateDevice,
	UploadPackage,
	parse,
	type ErrorCode
} from '../../src/lib/contract';
import { startTestServer, newMa, manifest, bundle, type TestServer } from '../support/test-server';
import { TestDevice } from '../support/test-device';
import { RUNS, consistencyProblems, isStableCode, mutated, tableCounts } from './fuzz-support';

let server: TestServer;
let token: string;
let deviceId: string;
let requestId: string;
let enrollCode: string;
let enrollSample: Record<string, unknown>;

const db = () => server.ctx.store.sqlite;

type Target = { name: string; path: () => string; schema: v.GenericSchema | null; sample: () => Record<string, unknown>; bearer: boolean; method?: 'PATCH' };

const TARGETS: Target[] = [
	{ name: 'EnrollRequest', path: () => '/api/device/enroll', schema: EnrollRequest, sample: () => enrollSample, bearer: false },
	{
		name: 'CreateEnrollmentCode',
		path: () => '/api/v1/enrollment-codes',
		schema: CreateEnrollmentCode,
		sample: () => ({ label: 'fuzz', expiresInSeconds: 3600 }),
		bearer: true
	},
	{
		name: 'CreateOperations',
		path: () => '/api/v1/operations',
		schema: CreateOperations,
		sample: () => ({ deviceIds: [deviceId], operations: [{ kind: 'Inventory' }], consentMode: 'silent', intent: 'fuzz' }),
		bearer: true
	},
	{
		name: 'UploadPackage',
		path: () => '/api/v1/packages',
		schema: UploadPackage,
		sample: () => ({ manifest: manifest('com.example.fuzzed', '1.0.0'), bundle: bundle(), encoding: 'utf8' }),
		bearer: true
	},
	{
		name: 'DecideDeviceRequest',
		path: () => `/api/v1/device-requests/${requestId}/decision`,
		schema: DecideDeviceRequest,
		sample: () => ({ decision: 'refuse', consentMode: 'confirm', message: 'fuzz' }),
		bearer: true
	},
	{
		name: 'UpdateDevice',
		path: () => `/api/v1/devices/${deviceId}`,
		schema: UpdateDevice,
		sample: () => ({ name: 'Fuzzed kiosk', notes: 'fuzz', tags: ['lobby', 'floor=3'] }),
		bearer: true,
		method: 'PATCH'
	},
	{ name: 'rotate signing key', path: () => '/api/v1/signing-keys/rotate', schema: null, sample: () => ({ overlapSeconds: 60 }), bearer: true }
];

async function post(target: Target, body: string | undefined, contentType = 'application/json') {
	const res = await fetch(`${server.url}${target.path()}`, {
		method: target.method ?? 'POST',
		headers: { 'content-type': contentType, origin: server.url, ...(target.bearer ? { authorization: `Bearer ${token}` } : {}) },
		body
	});
	const text = await res.text();
	let json: unknown = null;
	try {
		json = JSON.parse(text);
	} catch {
		// checked below
	}
	return { status: res.status, json: json as { error?: { code?: string } } | null, text };
}

/** A refusal: a stable code with its documented status; never a server error. */
function expectStableRefusal(r: Awaited<ReturnType<typeof post>>) {
	expect(r.status, r.text.slice(0, 300)).toBeLessThan(500);
	if (r.status < 400) return;
	const code = r.json?.error?.code;
	expect(isStableCode(code), r.text.slice(0, 300)).toBe(true);
	expect(r.status).toBe(ERROR_CODES[code as ErrorCode].status);
}

beforeAll(async () => {
	server = await startTestServer();
	const ma = newMa(server, 'Fuzz MA');
	token = ma.token;
	expect((await ma.api.uploadPackage(manifest('com.example.wanted', '1.0.0'), bundle())).status).toBe(201);
	const device = new TestDevice(server.url);
	expect((await device.enroll((await ma.api.createEnrollmentCode()).body.code)).status).toBe(201);
	deviceId = device.deviceId!;
	expect((await device.connect()).ok).toBe(true);
	const req = await device.emit<{ requestId: string }>('request', {
		maId: ma.maId,
		kind: 'DownloadInstall',
		componentId: 'com.example.wanted',
		version: null,
		note: 'please'
	});
	expect(req.ok).toBe(true);
	requestId = req.requestId;
	device.close();
	enrollCode = (await ma.api.createEnrollmentCode()).body.code;
	enrollSample = new TestDevice(server.url).enrollBody(enrollCode);
});

afterAll(async () => {
	await server?.close();
});

describe('fuzzing the REST bodies', () => {
	for (const target of TARGETS) {
		it(`${target.name}: any body gets a success or a stable error code; a refused one changes nothing`, async () => {
			await fc.assert(
				fc.asyncProperty(mutated(target.sample()), async (payload) => {
					const before = tableCounts(db());
					const text = payload === undefined ? undefined : JSON.stringify(payload instanceof Uint8Array ? Array.from(payload) : payload);
					const r = await post(target, text);
					expectStableRefusal(r);
					if (target.schema && text !== undefined && !parse(target.schema, JSON.parse(text)).ok) {
						// 422 package_invalid: the upload route names a bad manifest as such (rest-api.md).
						const allowed = target.schema === UploadPackage ? [400, 413, 422] : [400, 413];
						expect(allowed, r.text.slice(0, 300)).toContain(r.status);
						if (r.status === 400) expect(r.json?.error?.code).toBe('invalid_request');
					}
					if (r.status >= 400) expect(tableCounts(db())).toEqual(before);
				}),
				{ numRuns: RUNS }
			);
			expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
			expect(consistencyProblems(db())).toEqual([]);
		});
	}

	it('bodies that are not JSON, or not declared as JSON, are refused with a stable code', async () => {
		const before = tableCounts(db());
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom(...TARGETS),
				fc.string({ maxLength: 2000 }).filter((s) => {
					try {
						JSON.parse(s);
						return false;
					} catch {
						return true;
					}
				}),
				fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'),
				async (target, text, contentType) => {
					const r = await post(target, text, contentType);
					expectStableRefusal(r);
					expect(r.status).toBeGreaterThanOrEqual(400);
				}
			),
			{ numRuns: RUNS }
		);
		expect(tableCounts(db())).toEqual(before);
		expect(consistencyProblems(db())).toEqual([]);
	});

	it('a body over the size limit is 413 payload_too_large', async () => {
		const r = await post(TARGETS[1]!, JSON.stringify({ label: 'x'.repeat(200_000) }));
		expect(r.status).toBe(413);
		expect(r.json?.error?.code).toBe('payload_too_large');
	});
});
