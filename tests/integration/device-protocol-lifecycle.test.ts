/**
 * Operation lifecycle on a real server: expiry without an answer (1457), cancel of a queued operation
 * (1462), late results after either (duplicate, nothing changes), device requests (SCOMO-Device-06)
 * approved automatically or by an administrator, and the catalog with baseline compatibility.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, newMa, manifest, bundle, type TestServer } from '../support/test-server';
import { setSettings } from '../support/admin-cli';
import { TestDevice } from '../support/test-device';
import { movableClock } from '../support/movable-clock';

let server: TestServer;
const clock = movableClock();
let acme: ReturnType<typeof newMa>;

beforeAll(async () => {
	server = await startTestServer({}, { clock: clock.now });
	acme = newMa(server, 'Acme');
	await acme.api.uploadPackage(manifest('com.acme.kiosk', '1.0.0', { compatibleBaselines: ['kiosk-1'] }), bundle());
	await acme.api.uploadPackage(manifest('com.acme.kiosk', '2.0.0', { compatibleBaselines: ['kiosk-2'] }), bundle('2'));
	await acme.api.uploadPackage(manifest('com.acme.any', '1.0.0'), bundle());
});
afterAll(async () => {
	await server?.close();
});

async function device(baseline = 'kiosk-1') {
	const d = new TestDevice(server.url, { manufacturer: 'M', model: 'K', baselineBuildId: baseline, softwareVersion: '1' });
	await d.enroll((await acme.api.createEnrollmentCode()).body.code);
	return d;
}

describe('expiry and cancel', () => {
	it('ends an unanswered operation with 1457 and ignores a late result', async () => {
		const d = await device();
		const op = (await acme.api.createOperations({ deviceIds: [d.deviceId!], operations: [{ kind: 'Inventory' }] })).body.operations[0]!;
		// Move the server's clock past the deadline and run the sweeper once.
		clock.advance(8 * 24 * 3600 * 1000);
		try {
			expect(server.ctx.services.operations.expireDue()).toBeGreaterThanOrEqual(1);
		} finally {
			clock.reset();
		}
		const expired = await acme.api.getOperation(op.correlator);
		expect(expired.body).toMatchObject({ status: 'expired', resultCode: 1457 });
		await d.connect();
		// Nothing unfinished to deliver; a late result changes nothing.
		expect(await d.result(op.correlator, 1200)).toEqual({ ok: true, duplicate: true });
		expect((await acme.api.getOperation(op.correlator)).body).toMatchObject({ status: 'expired', resultCode: 1457 });
		expect(d.commands).toHaveLength(0);
		d.close();
	});

	it('cancels a queued operation with 1462 and refuses to cancel a finished one', async () => {
		const d = await device();
		const op = (await acme.api.createOperations({ deviceIds: [d.deviceId!], operations: [{ kind: 'Inventory' }] })).body.operations[0]!;
		const c = await acme.api.cancelOperation(op.correlator);
		expect(c.status).toBe(200);
		expect(c.body).toMatchObject({ status: 'cancelled', resultCode: 1462 });
		const again = await acme.api.cancelOperation(op.correlator);
		expect(again.status).toBe(409);
		await d.connect();
		expect(await d.result(op.correlator, 1200)).toEqual({ ok: true, duplicate: true });
		d.close();
	});
});

describe('device requests (SCOMO-Device-06) and the catalog', () => {
	it('lists the catalog with compatibility for the device baseline', async () => {
		const d = await device('kiosk-1');
		await d.connect();
		const r = await d.emit<{ entries: { componentId: string; versions: { version: string; compatible: boolean }[] }[] }>('catalog:list', {
			maId: acme.maId
		});
		expect(r).toMatchObject({ ok: true });
		const kiosk = r.entries.find((e) => e.componentId === 'com.acme.kiosk')!;
		expect(kiosk.versions).toEqual([
			expect.objectContaining({ version: '2.0.0', compatible: false }),
			expect.objectContaining({ version: '1.0.0', compatible: true })
		]);
		expect(await d.emit('catalog:list', { maId: '01900000-0000-7000-8000-000000000000' })).toMatchObject({ ok: false, code: 'not_found' });
		d.close();
	});

	it('queues a request for an administrator, who approves it into an operation', async () => {
		const d = await device();
		await d.connect();
		const r = await d.emit<{ requestId: string }>('request', {
			maId: acme.maId,
			kind: 'DownloadInstall',
			componentId: 'com.acme.any',
			version: null,
			note: 'please'
		});
		expect(r.ok).toBe(true);
		const pending = await acme.api.listDeviceRequests('pending');
		expect(pending.body.items.find((x) => x.id === r.requestId)).toMatchObject({ status: 'pending', note: 'please', deviceId: d.deviceId });
		expect(
			await d.emit('request', { maId: acme.maId, kind: 'DownloadInstall', componentId: 'com.other.thing', version: null })
		).toMatchObject({ ok: false, code: 'not_found' });

		const decided = await acme.api.decideDeviceRequest(r.requestId, { decision: 'approve', consentMode: 'notify' });
		expect(decided.status).toBe(200);
		expect(decided.body.request).toMatchObject({ status: 'approved', correlator: decided.body.operation!.correlator });
		expect(decided.body.operation).toMatchObject({ kind: 'DownloadInstall', componentId: 'com.acme.any', version: '1.0.0', consentMode: 'notify' });
		const sets = await d.waitForCommands(1);
		expect(sets[0]!.operations[0]!.correlator).toBe(decided.body.operation!.correlator);
		const until = Date.now() + 5000;
		while (d.decisions.length === 0 && Date.now() < until) await new Promise((res) => setTimeout(res, 20));
		expect(d.decisions[0]).toMatchObject({ requestId: r.requestId, status: 'approved', correlator: decided.body.operation!.correlator });
		expect((await acme.api.decideDeviceRequest(r.requestId, { decision: 'refuse' })).status).toBe(409);

		const r2 = await d.emit<{ requestId: string }>('request', { maId: acme.maId, kind: 'Update', componentId: 'com.acme.any', version: '1.0.0' });
		const refused = await acme.api.decideDeviceRequest(r2.requestId, { decision: 'refuse', message: 'not now' });
		expect(refused.body).toMatchObject({ request: { status: 'refused', correlator: null }, operation: null });
		d.close();
	});

	it('approves automatically when the MA says so', async () => {
		setSettings(server.dataDir, acme.maId, { autoApprove: true });
		try {
			const d = await device();
			await d.connect();
			const r = await d.emit<{ requestId: string }>('request', {
				maId: acme.maId,
				kind: 'DownloadInstall',
				componentId: 'com.acme.kiosk',
				version: '1.0.0'
			});
			expect(r.ok).toBe(true);
			const sets = await d.waitForCommands(1);
			expect(sets[0]!.operations[0]).toMatchObject({ kind: 'DownloadInstall', componentId: 'com.acme.kiosk', version: '1.0.0' });
			const items = (await acme.api.listDeviceRequests()).body.items;
			expect(items.find((x) => x.id === r.requestId)).toMatchObject({ status: 'approved', correlator: sets[0]!.operations[0]!.correlator });
			d.close();
		} finally {
			setSettings(server.dataDir, acme.maId, { autoApprove: false });
		}
	});
});
