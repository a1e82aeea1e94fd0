/**
 * Delivery across a server restart, with the real server process: the operation is persisted before
 * relay, the server dies after relaying it, and after the restart the device gets it again and its
 * result is recorded exactly once, however often it is sent.
 */
import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import path from 'node:path';
import { startServerProcess, tempDir } from '../support/server-process';
import { createMa } from '../support/admin-cli';
import { ApiClient } from '../support/api-client';
import { TestDevice } from '../support/test-device';
import { manifest, bundle } from '../support/test-server';

describe('server restart between relay and result', () => {
	it('re-delivers the unfinished operation and records the result once', async () => {
		const dataDir = tempDir();
		const ma = createMa(dataDir, 'Acme');
		// A fixed port keeps the origin (which the device signs) the same across the restart.
		let server = await startServerProcess({ dataDir });
		const port = new URL(server.url).port;
		await server.kill();
		server = await startServerProcess({ dataDir, env: { SCOMO_PORT: port } });
		try {
			let api = new ApiClient(server.url, ma.token);
			expect((await api.uploadPackage(manifest('com.acme.app', '1.0.0'), bundle())).status).toBe(201);
			const device = new TestDevice(server.url);
			await device.enroll((await api.createEnrollmentCode()).body.code);
			await device.connect();
			const created = await api.createOperations({
				deviceIds: [device.deviceId!],
				operations: [{ kind: 'DownloadInstall', componentId: 'com.acme.app' }]
			});
			const correlator = created.body.operations[0]!.correlator;
			await device.waitForCommands(1);
			await api.waitForOperation(correlator, (o) => o.status === 'delivered');

			// The server dies before the result arrives.
			await server.kill('SIGKILL');
			device.close();
			server = await startServerProcess({ dataDir, env: { SCOMO_PORT: port } });
			api = new ApiClient(server.url, ma.token);
			expect((await api.getOperation(correlator)).body.status).toBe('delivered');

			await device.connect();
			const sets = await device.waitForCommands(2);
			expect(sets[1]!.operations[0]!.correlator).toBe(correlator);
			const entry = { stage: 'deployed', componentId: 'com.acme.app', version: '1.0.0', state: 'Active', operational: 'Stopped' };
			expect(await device.result(correlator, 1200, { componentId: 'com.acme.app', entry })).toEqual({ ok: true, duplicate: false });
			expect(await device.result(correlator, 1200, { componentId: 'com.acme.app', entry })).toEqual({ ok: true, duplicate: true });
			expect((await api.getOperation(correlator)).body).toMatchObject({ status: 'completed', resultCode: 1200 });
			device.close();
		} finally {
			await server.kill();
		}
		const db = new Database(path.join(dataDir, 'scomo.db'), { readonly: true });
		const n = db.prepare("select count(*) as n from audit_events where action = 'operation.result'").get() as { n: number };
		db.close();
		expect(n.n).toBe(1);
	});
});
