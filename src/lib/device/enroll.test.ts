import { describe, it, expect } from 'vitest';
import { enrollProofMessage, type EnrollRequestBody } from '../contract';
import { enrollDevice } from './enroll';
import { generateEd25519, verifyEd25519 } from './crypto';
import { MemoryStateStore } from './memory-adapters';

const DEVICE = '0190a000-0000-7000-8000-0000000000d1';
const info = { manufacturer: 'M', model: 'X', baselineBuildId: 'first-os', softwareVersion: '1' };

/** A stand-in for POST /api/device/enroll that records the bodies it gets (no network). */
function fakeServer(answers: { status: number; body: unknown }[]) {
	const bodies: EnrollRequestBody[] = [];
	const urls: string[] = [];
	const f = (async (url: URL, init: RequestInit) => {
		urls.push(String(url));
		bodies.push(JSON.parse(String(init.body)) as EnrollRequestBody);
		const a = answers.shift()!;
		return new Response(JSON.stringify(a.body), { status: a.status, headers: { 'content-type': 'application/json' } });
	}) as unknown as typeof fetch;
	return { f, bodies, urls };
}

describe('enrollDevice', () => {
	it('proves the key, stores the identity, and sends the device ID when a second MA enrolls it', async () => {
		const store = new MemoryStateStore();
		const { signer } = await generateEd25519(false);
		const server = fakeServer([
			{ status: 201, body: { deviceId: DEVICE, ma: { id: 'ma-1', name: 'Acme' }, baselineBuildId: 'first-os' } },
			{ status: 201, body: { deviceId: DEVICE, ma: { id: 'ma-2', name: 'Globex' }, baselineBuildId: 'first-os' } }
		]);
		const first = await enrollDevice(store, { serverUrl: 'http://localhost:3000', code: 'code-one', signer, info, fetch: server.f });
		expect(first.ok).toBe(true);
		expect(server.urls[0]).toBe('http://localhost:3000/api/device/enroll');
		const body = server.bodies[0]!;
		expect(body).toMatchObject({ code: 'code-one', publicKey: signer.publicKey, keyAlgorithm: 'Ed25519', info: { ...info, kind: 'agent' } });
		expect(body.deviceId).toBeUndefined();
		expect(await verifyEd25519(signer.publicKey, enrollProofMessage('code-one', signer.publicKey), body.proof)).toBe(true);

		const second = await enrollDevice(store, {
			serverUrl: 'http://localhost:3000',
			code: 'code-two',
			signer,
			info: { ...info, baselineBuildId: 'other-os' },
			fetch: server.f
		});
		expect(second.ok).toBe(true);
		expect(server.bodies[1]).toMatchObject({ deviceId: DEVICE, info: { baselineBuildId: 'first-os' } });
		expect(store.identity).toMatchObject({
			deviceId: DEVICE,
			baselineBuildId: 'first-os',
			mas: [
				{ maId: 'ma-1', name: 'Acme' },
				{ maId: 'ma-2', name: 'Globex' }
			]
		});
	});

	it('returns the server’s stable error code and keeps no identity', async () => {
		const store = new MemoryStateStore();
		const { signer } = await generateEd25519(false);
		const server = fakeServer([{ status: 400, body: { error: { code: 'enrollment_code_invalid', message: 'used' } } }]);
		const r = await enrollDevice(store, { serverUrl: 'http://localhost:3000', code: 'code-used', signer, info, fetch: server.f });
		expect(r).toEqual({ ok: false, error: { status: 400, code: 'enrollment_code_invalid', message: 'used' } });
		expect(store.identity).toBeNull();
	});

	it('reports an unreachable server as a network error', async () => {
		const { signer } = await generateEd25519(false);
		const failing = (async () => {
			throw new TypeError('fetch failed');
		}) as unknown as typeof fetch;
		const r = await enrollDevice(new MemoryStateStore(), { serverUrl: 'http://localhost:3000', code: 'code-x-1', signer, info, fetch: failing });
		expect(r).toMatchObject({ ok: false, error: { code: 'network', status: 0 } });
	});
});
