/**
 * Property-based fuzzing of the /device socket protocol (fast-check) against the real server in this process:
 * every device→server event of DEVICE_EVENTS gets arbitrary and mutated payloads, unknown event names and
 * events without an ack. Each is answered with ok or a stable error code (invalid_request whenever the
 * contract schema refuses it), a refused event changes no row, the connection and the server keep serving,
 * and the database stays consistent.
 */
import { Encoder, Decoder, PacketType } from 'socket.io-parser';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { DEVICE_EVENTS, parse, type DeviceEventName } from '../../src/lib/contract';
import { startTestServer, newMa, manifest, bundle, type TestServer } from '../support/test-server';
import { TestDevice, DEFAULT_INFO } from '../support/test-device';
import { RUNS, anyValue, consistencyProblems, isStableCode, mutated, tableCounts } from './fuzz-support';

let server: TestServer;
let device: TestDevice;
let maId: string;
let correlator: string;
const COMPONENT = 'com.example.fuzz';

const db = () => server.ctx.store.sqlite;

/** What socket.io delivers: JSON semantics, except binary stays binary. */
/**
 * What the server receives for a payload: encoded and decoded by socket.io's own parser, so the oracle
 * sees exactly the wire (e.g. the client's encoder drops an own "__proto__" key holding binary data).
 */
function wire(v: unknown): unknown {
	const [first, ...buffers] = new Encoder().encode({ type: PacketType.EVENT, nsp: '/device', data: ['probe', v] });
	let decoded: unknown[] = [];
	const decoder = new Decoder();
	decoder.on('decoded', (packet: { data?: unknown[] }) => (decoded = packet.data ?? []));
	decoder.add(first);
	for (const b of buffers) decoder.add(b);
	decoder.destroy();
	return decoded[1];
}

function samples(): Record<Exclude<DeviceEventName, 'auth:challenge' | 'commands' | 'request:decided' | 'withdraw' | 'decommission' | 'error'>, Record<string, unknown>> {
	return {
		'auth:prove': { deviceId: device.deviceId!, signature: 'A'.repeat(86) },
		'device:info': { ...DEFAULT_INFO },
		progress: { correlator, phase: 'in-progress', downloadStatus: 30, bytesDone: 10, bytesTotal: 20 },
		result: { correlator, resultCode: 1200, message: '', componentId: COMPONENT, entry: null, completedAt: Date.now() },
		inventory: { components: [{ stage: 'delivered', componentId: COMPONENT, version: '1.0.0' }] },
		'component:state': { componentId: COMPONENT, operational: 'Failed', message: 'fuzz' },
		request: { maId, kind: 'DownloadInstall', componentId: COMPONENT, version: null, note: '' },
		'catalog:list': { maId },
		'package:token': { correlator }
	};
}

const DEVICE_SIDE = (Object.keys(DEVICE_EVENTS) as DeviceEventName[]).filter((e) => DEVICE_EVENTS[e].from === 'device' && e !== 'auth:prove');

async function healthy() {
	expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
	expect(consistencyProblems(db())).toEqual([]);
}

beforeAll(async () => {
	server = await startTestServer();
	const ma = newMa(server, 'Fuzz MA');
	maId = ma.maId;
	expect((await ma.api.uploadPackage(manifest(COMPONENT, '1.0.0'), bundle())).status).toBe(201);
	device = new TestDevice(server.url);
	expect((await device.enroll((await ma.api.createEnrollmentCode()).body.code)).status).toBe(201);
	expect((await device.connect()).ok).toBe(true);
	const ops = await ma.api.createOperations({ deviceIds: [device.deviceId!], operations: [{ kind: 'DownloadInstall', componentId: COMPONENT }], consentMode: 'silent' });
	correlator = ops.body.operations[0]!.correlator;
	device.close();
});

afterAll(async () => {
	device?.close();
	await server?.close();
});

describe('fuzzing the /device socket events', () => {
	for (const event of DEVICE_SIDE) {
		it(`${event}: every payload gets ok or a stable error code, and a refused one changes nothing`, async () => {
			// A fresh connection per event: its own rate-limit bucket, and proof that it survives the property.
			expect((await device.connect()).ok).toBe(true);
			const sample = samples()[event as keyof ReturnType<typeof samples>];
			await fc.assert(
				fc.asyncProperty(mutated(sample), async (payload) => {
					const before = tableCounts(db());
					const ack = await device.emit(event, payload);
					const local = parse(DEVICE_EVENTS[event].schema, wire(payload));
					if (!local.ok) expect(ack).toMatchObject({ ok: false, code: 'invalid_request' });
					if (!ack.ok) {
						expect(isStableCode(ack.code), String(ack.code)).toBe(true);
						expect(tableCounts(db())).toEqual(before);
					}
				}),
				{ numRuns: RUNS }
			);
			expect(device.socket!.connected).toBe(true);
			device.close();
			await healthy();
		});
	}

	it('auth:prove: forged and malformed proofs are refused with a stable code and change nothing', async () => {
		const sample = samples()['auth:prove'];
		const before = tableCounts(db());
		await fc.assert(
			fc.asyncProperty(mutated(sample), async (payload) => {
				await device.connectRaw();
				const ack = await device.emit('auth:prove', payload);
				expect(ack.ok).toBe(false);
				expect(isStableCode(ack.code), String(ack.code)).toBe(true);
				device.close();
			}),
			{ numRuns: Math.min(RUNS, 40) }
		);
		expect(tableCounts(db())).toEqual(before);
		await healthy();
	});

	it('unknown event names, and events without an ack, are answered or ignored; the connection keeps working', async () => {
		expect((await device.connect()).ok).toBe(true);
		const reserved = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);
		const name = fc.string({ minLength: 1, maxLength: 80 }).filter((n) => !reserved.has(n) && !(n in DEVICE_EVENTS));
		const before = tableCounts(db());
		await fc.assert(
			fc.asyncProperty(name, anyValue(), async (event, payload) => {
				const ack = await device.emit(event, payload);
				expect(ack).toMatchObject({ ok: false, code: 'invalid_request' });
			}),
			{ numRuns: RUNS }
		);
		await fc.assert(
			fc.asyncProperty(fc.constantFrom(...DEVICE_SIDE), anyValue(), async (event, payload) => {
				device.emitNoAck(event, payload);
			}),
			{ numRuns: Math.min(RUNS, 50) }
		);
		// Still answering on the same connection.
		expect(await device.emit('catalog:list', { maId })).toMatchObject({ ok: true });
		expect(tableCounts(db())).toEqual(before);
		device.close();
		await healthy();
	});
});
