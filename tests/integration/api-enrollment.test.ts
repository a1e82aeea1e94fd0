/** Enrollment over REST: good, bad, used, expired, revoked codes; a second MA keeps the first baseline. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import Database from 'better-sqlite3';
import path from 'node:path';
import { startTestServer, newMa, type TestServer } from '../support/test-server';
import { TestDevice } from '../support/test-device';
import { movableClock } from '../support/movable-clock';

let server: TestServer;
const clock = movableClock();
let acme: ReturnType<typeof newMa>;
let globex: ReturnType<typeof newMa>;

beforeAll(async () => {
	server = await startTestServer({}, { clock: clock.now });
	acme = newMa(server, 'Acme');
	globex = newMa(server, 'Globex');
});
afterAll(async () => {
	await server?.close();
});

const info = (baselineBuildId: string) => ({ manufacturer: 'M', model: 'X', baselineBuildId, softwareVersion: '1' });

describe('enrollment codes', () => {
	it('creates a code with a link, stores only its hash, and enrolls once', async () => {
		const c = await acme.api.createEnrollmentCode({ label: 'kiosk 1', expiresInSeconds: 3600 });
		expect(c.status).toBe(201);
		expect(c.body.link).toBe(`${server.url}/device/enroll?code=${encodeURIComponent(c.body.code)}`);
		const db = new Database(path.join(server.dataDir, 'scomo.db'), { readonly: true });
		const stored = db.prepare('select * from enrollment_codes where id = ?').get(c.body.id) as Record<string, unknown>;
		db.close();
		expect(JSON.stringify(stored)).not.toContain(c.body.code);

		const d = new TestDevice(server.url, info('base-A'));
		const r = await d.enroll(c.body.code);
		expect(r.status).toBe(201);
		// SCOMO-SEC-01: the response also carries the MA's signed trust statement, which the device pins.
		expect(r.body).toEqual({
			deviceId: d.deviceId,
			ma: { id: acme.maId, name: 'Acme' },
			baselineBuildId: 'base-A',
			trust: { statement: expect.objectContaining({ maId: acme.maId, seq: 1 }), signatures: [expect.objectContaining({ keyId: expect.any(String) })] },
			// The time of this enrollment: the device pins it, a decommission names the enrollment it ends.
			enrolledAt: expect.any(Number)
		});

		const list = await acme.api.listEnrollmentCodes();
		expect(list.body.items.find((x) => x.id === c.body.id)).toMatchObject({ label: 'kiosk 1', usedByDeviceId: d.deviceId });

		// Used: a second device cannot use it.
		const other = new TestDevice(server.url, info('base-B'));
		const again = await other.enroll(c.body.code);
		expect(again.status).toBe(400);
		expect(again.body.error?.code).toBe('enrollment_code_invalid');
	});

	it('refuses unknown, revoked and expired codes with enrollment_code_invalid', async () => {
		const d = new TestDevice(server.url, info('b'));
		expect((await d.enroll('no-such-code-at-all')).body.error?.code).toBe('enrollment_code_invalid');

		const revoked = await acme.api.createEnrollmentCode();
		expect((await acme.api.revokeEnrollmentCode(revoked.body.id)).status).toBe(204);
		const r1 = await d.enroll(revoked.body.code);
		expect(r1.status).toBe(400);
		expect(r1.body.error?.code).toBe('enrollment_code_invalid');

		const expiring = await acme.api.createEnrollmentCode({ expiresInSeconds: 60 });
		clock.advance(61_000);
		try {
			const r2 = await d.enroll(expiring.body.code);
			expect(r2.status).toBe(400);
			expect(r2.body.error?.code).toBe('enrollment_code_invalid');
		} finally {
			clock.reset();
		}
		// The same code still works before its expiry (it was not consumed by the failed attempt).
		expect((await d.enroll(expiring.body.code)).status).toBe(201);
	});

	it('refuses a bad proof with device_auth_failed and a malformed body with invalid_request', async () => {
		const c = await acme.api.createEnrollmentCode();
		const d = new TestDevice(server.url, info('b'));
		const other = new TestDevice(server.url, info('b'));
		const bad = await acme.api.withToken(null).enroll(d.enrollBody(c.body.code, { proof: other.sign('whatever') }));
		expect(bad.status).toBe(401);
		expect(bad.body.error?.code).toBe('device_auth_failed');
		const malformed = await acme.api.withToken(null).enroll({ code: c.body.code });
		expect(malformed.status).toBe(400);
		expect(malformed.body.error?.code).toBe('invalid_request');
		expect(malformed.body.error?.issues?.length).toBeGreaterThan(0);
		const notJson = await acme.api.withToken(null).request('POST', '/api/device/enroll', '{nope');
		expect(notJson.status).toBe(400);
		// The code survived the failures.
		expect((await d.enroll(c.body.code)).status).toBe(201);
	});

	it('lets a device enroll with a second MA and keeps the first baseline (SCOMO-HLFR-9)', async () => {
		const c1 = await acme.api.createEnrollmentCode();
		const c2 = await globex.api.createEnrollmentCode();
		const d = new TestDevice(server.url, info('factory-1'));
		expect((await d.enroll(c1.body.code)).status).toBe(201);
		const first = d.deviceId;
		(d.info as { baselineBuildId: string }).baselineBuildId = 'factory-2';
		const second = await d.enroll(c2.body.code);
		expect(second.status).toBe(201);
		expect(second.body).toMatchObject({ deviceId: first, ma: { id: globex.maId }, baselineBuildId: 'factory-1' });
		expect((await globex.api.getDevice(first!)).body.device.baselineBuildId).toBe('factory-1');
		expect((await acme.api.getDevice(first!)).body.device.baselineBuildId).toBe('factory-1');
		const ack = await d.connect();
		expect(ack.maIds?.sort()).toEqual([acme.maId, globex.maId].sort());
		d.close();
	});

	it('refuses a known device ID presented with another key', async () => {
		const c1 = await acme.api.createEnrollmentCode();
		const d = new TestDevice(server.url, info('x'));
		await d.enroll(c1.body.code);
		const c2 = await globex.api.createEnrollmentCode();
		const impostor = new TestDevice(server.url, info('x'));
		impostor.deviceId = d.deviceId;
		const r = await impostor.enroll(c2.body.code);
		expect(r.status).toBe(401);
		expect(r.body.error?.code).toBe('device_auth_failed');
	});
});
