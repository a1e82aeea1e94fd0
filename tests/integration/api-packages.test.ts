/**
 * Packages: upload errors (bad manifest 422, malformed body 400, too large 413, duplicate version and
 * component IDs per MA), digest and size, storage by digest, and download tokens
 * (valid, expired, tampered, another device's operation).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startTestServer, newMa, manifest, bundle, type TestServer } from '../support/test-server';
import { TestDevice } from '../support/test-device';
import { signDownloadToken } from '../../src/lib/server/services/download-tokens';
import { SERVER_SECRET_FILE } from '../../src/lib/server/secrets';

let server: TestServer;
let acme: ReturnType<typeof newMa>;
let globex: ReturnType<typeof newMa>;

beforeAll(async () => {
	// A small bundle limit so the 413 test stays light.
	server = await startTestServer({ SCOMO_MAX_BUNDLE_BYTES: '4096' });
	acme = newMa(server, 'Acme');
	globex = newMa(server, 'Globex');
});
afterAll(async () => {
	await server?.close();
});

describe('package upload', () => {
	it('stores the bundle by its SHA-256 and lists versions', async () => {
		const text = bundle('hello');
		const r = await acme.api.uploadPackage(manifest('com.acme.hello', '1.0.0', { permissions: ['network', 'ui'] }), text);
		expect(r.status).toBe(201);
		const sha = createHash('sha256').update(text).digest('hex');
		expect(r.body).toMatchObject({ componentId: 'com.acme.hello', version: '1.0.0', sha256: sha, size: Buffer.byteLength(text) });
		const file = path.join(server.dataDir, 'bundles', `${sha}.js`);
		expect(readFileSync(file, 'utf8')).toBe(text);

		const b64 = await acme.api.uploadPackage(manifest('com.acme.hello', '1.2.0'), Buffer.from(bundle('v2')).toString('base64'), 'base64');
		expect(b64.status).toBe(201);
		expect(b64.body.sha256).toBe(createHash('sha256').update(bundle('v2')).digest('hex'));
		const got = await acme.api.getPackage('com.acme.hello');
		expect(got.body.versions.map((v) => v.version)).toEqual(['1.0.0', '1.2.0']);
		expect(got.body.versions[0]).toMatchObject({ permissions: ['network', 'ui'], compatibleBaselines: ['*'] });
		// SCOMO-SEC-03: every uploaded version is signed with the MA's key.
		expect(got.body.versions.map((v) => v.signed)).toEqual([true, true]);
	});

	it('answers 422 for a bad manifest, 400 for a malformed body', async () => {
		const bad = await acme.api.uploadPackage(manifest('Not A Component', 'one'), bundle());
		expect(bad.status).toBe(422);
		expect(bad.body.error?.code).toBe('package_invalid');
		expect(bad.body.error?.issues?.map((i) => i.path)).toEqual(expect.arrayContaining(['manifest.id', 'manifest.version']));
		const noBaselines = await acme.api.uploadPackage(manifest('com.acme.x', '1.0.0', { compatibleBaselines: [] }), bundle());
		expect(noBaselines.status).toBe(422);
		const empty = await acme.api.uploadPackage(manifest('com.acme.x', '1.0.0'), '');
		expect(empty.status).toBe(422);
		const noBundle = await acme.api.request('POST', '/api/v1/packages', { manifest: manifest('com.acme.x', '1.0.0') });
		expect(noBundle.status).toBe(400);
		expect(noBundle.body.error?.code).toBe('invalid_request');
	});

	it('answers 413 for a bundle over the limit', async () => {
		const big = await acme.api.uploadPackage(manifest('com.acme.big', '1.0.0'), 'x'.repeat(5000));
		expect(big.status).toBe(413);
		expect(big.body.error?.code).toBe('payload_too_large');
		const huge = await acme.api.uploadPackage(manifest('com.acme.big', '1.0.0'), 'x'.repeat(200_000));
		expect(huge.status).toBe(413);
		expect((await acme.api.getPackage('com.acme.big')).status).toBe(404);
	});

	it('answers 409 for an existing version; a component ID another MA uses is just an upload (IDs are per MA)', async () => {
		expect((await acme.api.uploadPackage(manifest('com.acme.dup', '1.0.0'), bundle())).status).toBe(201);
		const dup = await acme.api.uploadPackage(manifest('com.acme.dup', '1.0.0'), bundle('other'));
		expect(dup.status).toBe(409);
		expect(dup.body.error?.code).toBe('conflict');
		// Globex learns nothing of Acme's component: same ID, even the same version, is Globex's own package.
		const same = await globex.api.uploadPackage(manifest('com.acme.dup', '1.0.0'), bundle('globex'));
		expect(same.status).toBe(201);
		expect((await globex.api.getPackage('com.acme.dup')).body.versions.map((v) => v.sha256)).toEqual([same.body.sha256]);
		expect((await acme.api.getPackage('com.acme.dup')).body.versions.map((v) => v.sha256)).not.toContain(same.body.sha256);
	});
});

describe('download tokens', () => {
	it('serves the bundle for a valid token; refuses expired, tampered and foreign ones', async () => {
		await acme.api.uploadPackage(manifest('com.acme.dl', '1.0.0'), bundle('dl'));
		const a = new TestDevice(server.url);
		const b = new TestDevice(server.url);
		await a.enroll((await acme.api.createEnrollmentCode()).body.code);
		await b.enroll((await acme.api.createEnrollmentCode()).body.code);
		const op = await acme.api.createOperations({
			deviceIds: [a.deviceId!],
			operations: [{ kind: 'Download', componentId: 'com.acme.dl' }]
		});
		const correlator = op.body.operations[0]!.correlator;
		await a.connect();
		await b.connect();

		const t = await a.emit<{ url: string; expiresAt: number }>('package:token', { correlator });
		expect(t.ok).toBe(true);
		expect(t.expiresAt - Date.now()).toBeLessThanOrEqual(5 * 60 * 1000);
		const res = await fetch(t.url);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toContain('application/javascript');
		expect(await res.text()).toBe(bundle('dl'));

		// Another device cannot get a token for this operation.
		expect(await b.emit('package:token', { correlator })).toMatchObject({ ok: false, code: 'not_found' });
		// An operation without a package has no token.
		const inv = await acme.api.createOperations({ deviceIds: [a.deviceId!], operations: [{ kind: 'Inventory' }] });
		expect(await a.emit('package:token', { correlator: inv.body.operations[0]!.correlator })).toMatchObject({ ok: false, code: 'not_found' });

		// Tampered: another device's ID in the claims with the same MAC.
		const [body, mac] = t.url.split('/').pop()!.split('.');
		const claims = JSON.parse(Buffer.from(body!, 'base64url').toString());
		const forged = Buffer.from(JSON.stringify({ ...claims, d: b.deviceId })).toString('base64url');
		const tampered = await fetch(`${server.url}/api/device/bundles/${forged}.${mac}`);
		expect(tampered.status).toBe(403);
		expect(((await tampered.json()) as { error: { code: string } }).error.code).toBe('download_token_invalid');

		// Expired: a genuine signature with a past expiry.
		const key = Buffer.from(readFileSync(path.join(server.dataDir, SERVER_SECRET_FILE), 'utf8'), 'base64url');
		const expired = signDownloadToken(key, { deviceId: a.deviceId!, versionId: claims.v, expiresAt: Date.now() - 1 });
		expect((await fetch(`${server.url}/api/device/bundles/${expired}`)).status).toBe(403);
		expect((await fetch(`${server.url}/api/device/bundles/garbage`)).status).toBe(403);
		expect(existsSync(path.join(server.dataDir, SERVER_SECRET_FILE))).toBe(true);
		a.close();
		b.close();
	});
});
