/**
 * Authorisation of the MA API (SCOMO-SEC-02, SCOMO-ADC-3): no token 401, read token cannot write (403),
 * another MA's devices, packages, operations, enrollment codes and requests are 404 like missing ones,
 * and a shared device shows each MA only its own inventory.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, newMa, manifest, bundle, type TestServer } from '../support/test-server';
import { createToken } from '../support/admin-cli';
import { TestDevice } from '../support/test-device';

let server: TestServer;
let acme: ReturnType<typeof newMa>;
let globex: ReturnType<typeof newMa>;
let device: TestDevice;
let acmeCorrelator: string;
let acmeCodeId: string;

beforeAll(async () => {
	server = await startTestServer();
	acme = newMa(server, 'Acme');
	globex = newMa(server, 'Globex');
	expect((await acme.api.uploadPackage(manifest('com.acme.app', '1.0.0'), bundle())).status).toBe(201);
	expect((await globex.api.uploadPackage(manifest('com.globex.app', '1.0.0'), bundle())).status).toBe(201);
	device = new TestDevice(server.url);
	const c = await acme.api.createEnrollmentCode();
	acmeCodeId = c.body.id;
	await device.enroll(c.body.code);
	await device.enroll((await globex.api.createEnrollmentCode()).body.code);
	const op = await acme.api.createOperations({ deviceIds: [device.deviceId!], operations: [{ kind: 'Inventory' }] });
	acmeCorrelator = op.body.operations[0]!.correlator;
});
afterAll(async () => {
	device?.close();
	await server?.close();
});

describe('MA API authorisation', () => {
	it('needs a valid token', async () => {
		const anon = server.api(null);
		expect((await anon.listDevices()).status).toBe(401);
		const bad = await server.api('scomo_not-a-real-token').listDevices();
		expect(bad.status).toBe(401);
		expect(bad.body.error?.code).toBe('unauthenticated');
	});

	it('lets a read token read but not write (403 forbidden)', async () => {
		const read = server.api(createToken(server.dataDir, acme.maId, 'read').token);
		expect((await read.listDevices()).status).toBe(200);
		expect((await read.getOperation(acmeCorrelator)).status).toBe(200);
		const posts = [
			await read.createEnrollmentCode(),
			await read.uploadPackage(manifest('com.acme.other', '1.0.0'), bundle()),
			await read.createOperations({ deviceIds: [device.deviceId!], operations: [{ kind: 'Inventory' }] }),
			await read.cancelOperation(acmeCorrelator),
			await read.revokeEnrollmentCode(acmeCodeId)
		];
		for (const r of posts) {
			expect(r.status).toBe(403);
			expect(r.body.error?.code).toBe('forbidden');
		}
	});

	it('answers 404 for another MA\'s resources, like missing ones', async () => {
		const g = globex.api;
		expect((await g.getOperation(acmeCorrelator)).status).toBe(404);
		expect((await g.cancelOperation(acmeCorrelator)).status).toBe(404);
		expect((await g.getPackage('com.acme.app')).status).toBe(404);
		expect((await g.revokeEnrollmentCode(acmeCodeId)).status).toBe(404);
		expect((await g.getPackage('com.nobody.app')).status).toBe(404);
		expect((await g.getDevice('01900000-0000-7000-8000-000000000000')).status).toBe(404);
		expect((await g.listOperations()).body.items.map((o) => o.correlator)).not.toContain(acmeCorrelator);
		expect((await g.listPackages()).body.items.map((p) => p.componentId)).toEqual(['com.globex.app']);
		const cross = await g.createOperations({
			deviceIds: [device.deviceId!],
			operations: [{ kind: 'DownloadInstall', componentId: 'com.acme.app' }]
		});
		expect(cross.status).toBe(404);
		expect(cross.body.error?.code).toBe('not_found');

		// A device enrolled only with Acme does not exist for Globex.
		const solo = new TestDevice(server.url);
		await solo.enroll((await acme.api.createEnrollmentCode()).body.code);
		expect((await g.getDevice(solo.deviceId!)).status).toBe(404);
		expect((await g.getInventory(solo.deviceId!)).status).toBe(404);
		const op = await g.createOperations({ deviceIds: [solo.deviceId!], operations: [{ kind: 'Inventory' }] });
		expect(op.status).toBe(404);
		expect((await g.listDevices()).body.items.map((d) => d.id)).not.toContain(solo.deviceId);
	});

	it('filters a shared device\'s inventory to each MA (SCOMO-ADC-3)', async () => {
		await device.connect();
		expect(
			await device.emit('inventory', {
				components: [
					{ stage: 'deployed', componentId: 'com.acme.app', version: '1.0.0', state: 'Active', operational: 'Running' },
					{ stage: 'deployed', componentId: 'com.globex.app', version: '1.0.0', state: 'Inactive', operational: 'Stopped' }
				]
			})
		).toEqual({ ok: true });
		const a = await acme.api.getInventory(device.deviceId!);
		const g = await globex.api.getInventory(device.deviceId!);
		expect(a.body.items.map((i) => i.componentId)).toEqual(['com.acme.app']);
		expect(g.body.items.map((i) => i.componentId)).toEqual(['com.globex.app']);
		expect((await globex.api.getDevice(device.deviceId!)).body.inventory.map((i) => i.componentId)).toEqual(['com.globex.app']);
	});

	it('answers unknown API paths with a JSON 404 and bad bodies with 400', async () => {
		const r = await acme.api.request('GET', '/api/v1/nothing-here');
		expect(r.status).toBe(404);
		expect(r.body.error?.code).toBe('not_found');
		const bad = await acme.api.request('POST', '/api/v1/operations', { deviceIds: [], operations: [] });
		expect(bad.status).toBe(400);
		expect(bad.body.error?.code).toBe('invalid_request');
		expect((await acme.api.listOperations({ status: 'weird' })).status).toBe(400);
	});

	it('refuses a consent mode the MA does not allow', async () => {
		const { setSettings } = await import('../support/admin-cli');
		setSettings(server.dataDir, globex.maId, { consentModes: ['confirm'] });
		const r = await globex.api.createOperations({ deviceIds: [device.deviceId!], operations: [{ kind: 'Inventory' }], consentMode: 'silent' });
		expect(r.status).toBe(403);
		const ok = await globex.api.createOperations({ deviceIds: [device.deviceId!], operations: [{ kind: 'Inventory' }], consentMode: 'confirm' });
		expect(ok.status).toBe(202);
	});
});
