/**
 * The device protocol end to end on a real server (real SQLite, real socket.io), with a protocol-level
 * test device: enrollment, authentication, delivery, results, progress, inventory.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import Database from 'better-sqlite3';
import path from 'node:path';
import { startTestServer, newMa, manifest, bundle, type TestServer } from '../support/test-server';
import { DEFAULT_INFO, TestDevice } from '../support/test-device';
import { expandCompactSet, type CompactCommandSetMsg } from '../../src/lib/contract';

let server: TestServer;
let acme: ReturnType<typeof newMa>;

beforeAll(async () => {
	server = await startTestServer();
	acme = newMa(server, 'Acme');
	expect((await acme.api.uploadPackage(manifest('com.acme.clock', '1.0.0'), bundle('v1'))).status).toBe(201);
	expect((await acme.api.uploadPackage(manifest('com.acme.clock', '1.1.0'), bundle('v1.1'))).status).toBe(201);
});
afterAll(async () => {
	await server?.close();
});

async function enrolledDevice(baseline = 'base-1'): Promise<TestDevice> {
	const code = await acme.api.createEnrollmentCode({ label: 'test' });
	expect(code.status).toBe(201);
	const d = new TestDevice(server.url, { manufacturer: 'Test Co', model: 'T-1', baselineBuildId: baseline, softwareVersion: '1.0.0' });
	const r = await d.enroll(code.body.code);
	expect(r.status).toBe(201);
	return d;
}

function dbRows<T>(sql: string, ...params: unknown[]): T[] {
	const db = new Database(path.join(server.dataDir, 'scomo.db'), { readonly: true });
	try {
		return db.prepare(sql).all(...params) as T[];
	} finally {
		db.close();
	}
}

describe('device authentication', () => {
	it('authenticates an enrolled device with a signature over the challenge', async () => {
		const d = await enrolledDevice();
		const ack = await d.connect();
		expect(ack).toMatchObject({ ok: true, deviceId: d.deviceId, maIds: [acme.maId] });
		const list = await acme.api.listDevices();
		expect(list.body.items.find((x) => x.id === d.deviceId)?.online).toBe(true);
		d.close();
	});

	it('announces device:online and device:offline on the event bus', async () => {
		const seen: string[] = [];
		const offOn = server.ctx.events.on('device:online', (e) => seen.push(`online:${e.deviceId}:${e.maIds.join(',')}`));
		const offOff = server.ctx.events.on('device:offline', (e) => seen.push(`offline:${e.deviceId}`));
		try {
			const d = await enrolledDevice();
			await d.connect();
			d.close();
			const until = Date.now() + 5000;
			while (!seen.includes(`offline:${d.deviceId}`) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
			expect(seen.filter((x) => x.includes(d.deviceId!))).toEqual([`online:${d.deviceId}:${acme.maId}`, `offline:${d.deviceId}`]);
			expect((await acme.api.getDevice(d.deviceId!)).body.device.online).toBe(false);
		} finally {
			offOn();
			offOff();
		}
	});

	it('refuses a bad signature with device_auth_failed and disconnects', async () => {
		const d = await enrolledDevice();
		const other = new TestDevice(server.url);
		const ack = await d.connect({ signature: (nonce) => other.sign(`scomo-device-auth:v1:${nonce}:${d.deviceId}:${server.url}`) });
		expect(ack).toMatchObject({ ok: false, code: 'device_auth_failed' });
		await d.waitForDisconnect();
		expect(d.errors.map((e) => e.code)).toContain('device_auth_failed');
	});

	it('refuses an unknown device with device_unknown', async () => {
		const d = new TestDevice(server.url);
		const ack = await d.connect({ deviceId: '01900000-0000-7000-8000-000000000000' });
		expect(ack).toMatchObject({ ok: false, code: 'device_unknown' });
		await d.waitForDisconnect();
	});

	it('answers not_authenticated before auth, invalid_request for malformed events, and keeps serving', async () => {
		const d = await enrolledDevice();
		await d.connectRaw();
		expect(await d.emit('inventory', { components: [] })).toMatchObject({ ok: false, code: 'not_authenticated' });
		expect(await d.emit('auth:prove', { deviceId: 'nope' })).toMatchObject({ ok: false, code: 'invalid_request' });
		d.close();

		const d2 = await enrolledDevice();
		expect((await d2.connect()).ok).toBe(true);
		expect(await d2.emit('result', { correlator: 'x' })).toMatchObject({ ok: false, code: 'invalid_request' });
		expect(await d2.emit('progress', 'garbage')).toMatchObject({ ok: false, code: 'invalid_request' });
		expect(await d2.emit('no-such-event', {})).toMatchObject({ ok: false, code: 'invalid_request' });
		// No ack callback at all: the server must survive.
		d2.emitNoAck('result', { nonsense: true });
		d2.emitNoAck('inventory');
		d2.emitNoAck('device:info', { manufacturer: 1 });
		expect(await d2.emit('inventory', { components: [] })).toEqual({ ok: true });
		expect(d2.errors.filter((e) => e.code === 'invalid_request').length).toBeGreaterThanOrEqual(4);
		const health = await fetch(`${server.url}/healthz`);
		expect(health.status).toBe(200);
		d2.close();
	});
});

describe('the operation loop', () => {
	it('relays to an online device, records progress and the result once', async () => {
		const d = await enrolledDevice();
		await d.connect();
		const created = await acme.api.createOperations({
			deviceIds: [d.deviceId!],
			operations: [{ kind: 'DownloadInstall', componentId: 'com.acme.clock' }],
			consentMode: 'confirm',
			intent: 'the new clock'
		});
		expect(created.status).toBe(202);
		const op = created.body.operations[0]!;
		expect(op).toMatchObject({ kind: 'DownloadInstall', componentId: 'com.acme.clock', version: '1.1.0', status: 'queued' });

		const [set] = await d.waitForCommands(1);
		expect(set).toMatchObject({ maId: acme.maId, maName: 'Acme', consentMode: 'confirm', intent: 'the new clock' });
		expect(set!.operations[0]).toMatchObject({ correlator: op.correlator, kind: 'DownloadInstall', version: '1.1.0' });
		expect(set!.operations[0]!.package).toMatchObject({ componentId: 'com.acme.clock', version: '1.1.0', size: bundle('v1.1').length });
		await acme.api.waitForOperation(op.correlator, (o) => o.status === 'delivered');

		expect(await d.emit('progress', { correlator: op.correlator, phase: 'awaiting-consent' })).toEqual({ ok: true });
		await acme.api.waitForOperation(op.correlator, (o) => o.status === 'awaiting-consent');
		expect(await d.emit('progress', { correlator: op.correlator, phase: 'in-progress', downloadStatus: 30 })).toEqual({ ok: true });
		const inProgress = await acme.api.waitForOperation(op.correlator, (o) => o.status === 'in-progress');
		expect(inProgress.downloadStatus).toBe(30);

		// The bundle is downloadable with a short-lived token bound to this device.
		const tok = await d.emit<{ url: string; expiresAt: number }>('package:token', { correlator: op.correlator });
		expect(tok.ok).toBe(true);
		const dl = await fetch(tok.url);
		expect(dl.status).toBe(200);
		expect(await dl.text()).toBe(bundle('v1.1'));

		const entry = { stage: 'deployed', componentId: 'com.acme.clock', version: '1.1.0', state: 'Active', operational: 'Stopped' };
		const first = await d.result(op.correlator, 1200, { componentId: 'com.acme.clock', entry });
		expect(first).toEqual({ ok: true, duplicate: false });
		const again = await d.result(op.correlator, 1405, { componentId: 'com.acme.clock', entry: null });
		expect(again).toEqual({ ok: true, duplicate: true });

		const done = await acme.api.getOperation(op.correlator);
		expect(done.body).toMatchObject({ status: 'completed', resultCode: 1200, resultName: 'Successful' });
		const inv = await acme.api.getInventory(d.deviceId!);
		expect(inv.body.items).toEqual([
			expect.objectContaining({ componentId: 'com.acme.clock', stage: 'deployed', version: '1.1.0', state: 'Active', operational: 'Stopped' })
		]);
		const results = dbRows<{ n: number }>(
			"select count(*) as n from audit_events where action = 'operation.result' and target_id = ?",
			op.id
		);
		expect(results[0]!.n).toBe(1);
		d.close();
	});

	it('keeps operations queued for an offline device and delivers them, in order, when it connects', async () => {
		const d = await enrolledDevice();
		const created = await acme.api.createOperations({
			deviceIds: [d.deviceId!],
			operations: [
				{ kind: 'DownloadInstall', componentId: 'com.acme.clock', version: '1.0.0' },
				{ kind: 'Start', componentId: 'com.acme.clock' }
			],
			consentMode: 'notify'
		});
		expect(created.status).toBe(202);
		const inv = await acme.api.createOperations({ deviceIds: [d.deviceId!], operations: [{ kind: 'Inventory' }] });
		expect((await acme.api.getOperation(created.body.operations[0]!.correlator)).body.status).toBe('queued');

		await d.connect();
		const sets = await d.waitForCommands(2);
		expect(sets[0]!.batchId).toBe(created.body.batchId);
		expect(sets[0]!.operations.map((o) => o.kind)).toEqual(['DownloadInstall', 'Start']);
		expect(sets[1]!.operations.map((o) => o.kind)).toEqual(['Inventory']);
		await acme.api.waitForOperation(inv.body.operations[0]!.correlator, (o) => o.status === 'delivered');

		// An inventory result replaces this MA's entries only.
		const r = await d.result(inv.body.operations[0]!.correlator, 1200, {
			inventory: [{ stage: 'delivered', componentId: 'com.acme.clock', version: '1.0.0' }]
		});
		expect(r).toEqual({ ok: true, duplicate: false });
		expect((await acme.api.getInventory(d.deviceId!)).body.items).toEqual([
			expect.objectContaining({ componentId: 'com.acme.clock', stage: 'delivered', state: null })
		]);
		d.close();
	});

	it('sends the trust statement once per connection: not again to a device that holds it, again after a reconnect', async () => {
		const d = await enrolledDevice();
		const start = async () => {
			const c = await acme.api.createOperations({ deviceIds: [d.deviceId!], operations: [{ kind: 'Inventory' }] });
			expect(c.status).toBe(202);
			return c.body.operations[0]!.correlator;
		};
		// A device that has not said which statement it pinned gets it with the first set, not with the next one.
		await d.connect();
		const first = await start();
		const [a] = await d.waitForCommands(1);
		expect(a!.operations[0]!.correlator).toBe(first);
		const seq = a!.trust!.statement.seq;
		expect(a!.envelope).toBeDefined();
		await start();
		const [, b] = await d.waitForCommands(2);
		expect(b!.trust).toBeUndefined();
		expect(b!.envelope).toBeDefined();
		// A new connection knows nothing: the unfinished operations come again, with the statement.
		d.close();
		d.commands.length = 0;
		await d.connect();
		const again = await d.waitForCommands(2);
		expect(again[0]!.trust?.statement.seq).toBe(seq);
		// A device that reports the version it pinned (device:info) never gets it on this connection.
		d.close();
		d.commands.length = 0;
		expect(await d.connect()).toMatchObject({ ok: true });
		expect(await d.emit('device:info', { ...DEFAULT_INFO, trust: [{ maId: acme.maId, seq }] })).toEqual({ ok: true });
		const fresh = await start();
		const sets = await d.waitForCommands(3);
		// The queued delivery may have left before device:info arrived; the fresh set after it never carries it.
		expect(sets.find((s) => s.operations[0]!.correlator === fresh)!.trust).toBeUndefined();
		// Said in the handshake, it holds from the first set on (the queued delivery right after auth:prove), and a
		// device that announces the compact form gets it.
		d.close();
		d.commands.length = 0;
		d.handshake = { features: ['compact-sets-v1'], trust: [{ maId: acme.maId, seq }] };
		d.onCommands = (set) => {
			const c = set as unknown as CompactCommandSetMsg;
			return { ok: true, accepted: (c.only ?? c.envelope.correlators.map((_, i) => i)).map((k) => c.envelope.correlators[k]) };
		};
		expect(await d.connect()).toMatchObject({ ok: true });
		const compact = (await d.waitForCommands(3)) as unknown as CompactCommandSetMsg[];
		for (const c of compact) {
			expect(c.v).toBe(2);
			expect(c.trust).toBeUndefined();
			expect(JSON.stringify(c)).not.toContain(d.deviceId!);
			expect(expandCompactSet(c, d.deviceId!)?.envelope?.leaf.deviceId).toBe(d.deviceId);
		}
		d.close();
	});

	it('refuses a result for another device\'s correlator with not_found', async () => {
		const a = await enrolledDevice();
		const b = await enrolledDevice();
		const created = await acme.api.createOperations({ deviceIds: [a.deviceId!], operations: [{ kind: 'Inventory' }] });
		await b.connect();
		expect(await b.result(created.body.operations[0]!.correlator, 1200)).toMatchObject({ ok: false, code: 'not_found' });
		expect(await b.emit('package:token', { correlator: created.body.operations[0]!.correlator })).toMatchObject({
			ok: false,
			code: 'not_found'
		});
		expect((await acme.api.getOperation(created.body.operations[0]!.correlator)).body.status).toBe('queued');
		b.close();
	});

	it('takes a full inventory report and the device information, keeping the enrolled baseline', async () => {
		const d = await enrolledDevice('factory-7');
		await d.connect();
		expect(await d.emit('device:info', { manufacturer: 'New Co', model: 'T-2', baselineBuildId: 'other', softwareVersion: '2.0.0' })).toEqual({ ok: true });
		const rep = await d.emit('inventory', {
			components: [
				{ stage: 'deployed', componentId: 'com.acme.clock', version: '1.0.0', state: 'Inactive', operational: 'Stopped' },
				{ stage: 'delivered', componentId: 'org.unknown.thing', version: '0.1.0' }
			]
		});
		expect(rep).toEqual({ ok: true });
		expect(await d.emit('component:state', { componentId: 'com.acme.clock', operational: 'Failed' })).toEqual({ ok: true });
		const got = await acme.api.getDevice(d.deviceId!);
		expect(got.body.device).toMatchObject({ manufacturer: 'New Co', model: 'T-2', softwareVersion: '2.0.0', baselineBuildId: 'factory-7' });
		// The unknown component has no owner: no MA sees it (SCOMO-ADC-3).
		expect(got.body.inventory).toEqual([expect.objectContaining({ componentId: 'com.acme.clock', state: 'Inactive', operational: 'Failed' })]);
		d.close();
	});
});
