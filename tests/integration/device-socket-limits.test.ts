/**
 * The /device namespace's limits on a real server: an unauthenticated connection is closed after the auth
 * timeout, a message over 256 KiB closes the connection, and a command set the device never acknowledges
 * leaves its operations queued (delivered again on the next connection). The timeouts are configured short
 * here (SCOMO_DEVICE_AUTH_TIMEOUT_SECONDS, SCOMO_COMMAND_ACK_TIMEOUT_SECONDS); production keeps 30 s and 15 s.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { rmSync } from 'node:fs';
import type { Socket } from 'socket.io-client';
import { startTestServer, newMa, type TestServer } from '../support/test-server';
import { TestDevice } from '../support/test-device';
import { MAX_MESSAGE_BYTES } from '../../src/lib/server/realtime/attach';

let server: TestServer;
let acme: ReturnType<typeof newMa>;

beforeAll(async () => {
	server = await startTestServer({ SCOMO_DEVICE_AUTH_TIMEOUT_SECONDS: '1', SCOMO_COMMAND_ACK_TIMEOUT_SECONDS: '1' });
	acme = newMa(server, 'Acme');
});
afterAll(async () => {
	await server?.close();
	if (server) rmSync(server.dataDir, { recursive: true, force: true });
});

async function enrolledDevice(): Promise<TestDevice> {
	const code = await acme.api.createEnrollmentCode({ label: 'limits' });
	expect(code.status).toBe(201);
	const d = new TestDevice(server.url);
	expect((await d.enroll(code.body.code)).status).toBe(201);
	return d;
}

/** Resolves with the reason socket.io gives when the connection ends. */
const disconnected = (socket: Socket) => new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));

describe('device connection limits', () => {
	it('closes a connection that never authenticates, and keeps one that did', async () => {
		const authed = await enrolledDevice();
		expect((await authed.connect()).ok).toBe(true);
		// Connected after the authenticated one, so its auth timer fires after the other's did.
		const silent = new TestDevice(server.url);
		await silent.connectRaw();
		expect(await disconnected(silent.socket!)).toBe('io server disconnect');
		expect(authed.socket!.connected).toBe(true);
		authed.close();
	});

	it('closes the connection on a message over 256 KiB and answers one under it', async () => {
		const d = await enrolledDevice();
		expect((await d.connect()).ok).toBe(true);
		// Under the limit: an answer (the payload is nonsense, so a validation error), and the connection stays.
		const small = await d.emit('inventory', { inventory: [], padding: 'x'.repeat(MAX_MESSAGE_BYTES / 2) });
		expect(small.ok).toBe(false);
		expect(d.socket!.connected).toBe(true);
		// Over it: the server closes the transport; no handler sees the message.
		const closed = disconnected(d.socket!);
		d.emitNoAck('inventory', { inventory: [], padding: 'x'.repeat(MAX_MESSAGE_BYTES + 1024) });
		expect(await closed).toBe('transport close');
		d.close();
	});
});

describe('command acknowledgement timeout', () => {
	it('leaves the operations of an unacknowledged command set queued and delivers them on the next connection', async () => {
		const d = await enrolledDevice();
		// Two batches while the device is offline: on connection the server sends them one after the other,
		// the second only once the first was acknowledged or timed out.
		const first = await acme.api.createOperations({ deviceIds: [d.deviceId!], operations: [{ kind: 'Inventory' }] });
		const second = await acme.api.createOperations({ deviceIds: [d.deviceId!], operations: [{ kind: 'Inventory' }] });
		expect(first.status).toBe(202);
		expect(second.status).toBe(202);
		const firstOp = first.body.operations[0]!.correlator;
		const secondOp = second.body.operations[0]!.correlator;

		// The device never answers the first set (no ack at all), and accepts everything else.
		d.onCommands = (set) =>
			set.batchId === first.body.batchId ? undefined : { ok: true, accepted: set.operations.map((o) => o.correlator) };
		expect((await d.connect()).ok).toBe(true);
		const sets = await d.waitForCommands(2);
		expect(sets.map((s) => s.batchId)).toEqual([first.body.batchId, second.body.batchId]);
		await acme.api.waitForOperation(secondOp, (o) => o.status === 'delivered');
		// The server gave up on the first set (the second came only after that) and kept its operation queued.
		expect((await acme.api.getOperation(firstOp)).body.status).toBe('queued');

		// Next connection: the queued operation is sent again; acknowledged now, it is delivered.
		d.close();
		d.commands.length = 0;
		d.onCommands = (set) => ({ ok: true, accepted: set.operations.map((o) => o.correlator) });
		expect((await d.connect()).ok).toBe(true);
		await acme.api.waitForOperation(firstOp, (o) => o.status === 'delivered');
		expect(d.commands.some((s) => s.batchId === first.body.batchId)).toBe(true);
		d.close();
	});
});
