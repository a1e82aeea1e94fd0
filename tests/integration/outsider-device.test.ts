/**
 * The acceptance of the written contract (issue 18): a device written only from docs/protocol.md and
 * docs/vectors (tests/outsider-device, no product imports) reproduces the vectors, then enrolls with the real
 * server, authenticates, verifies a signed fan-out command set, opens its sealed package, installs, starts
 * and reports; the server records its results. The MA side goes through the REST API with a token only.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { webcrypto } from 'node:crypto';
import { startTestServer, newMa, type TestServer } from '../support/test-server';
import { OutsiderDevice, type OutsiderEvent } from '../outsider-device/device';
import * as P from '../outsider-device/protocol';

const OUTSIDER_DIR = path.resolve(import.meta.dirname, '../outsider-device');
const VECTORS = path.resolve(import.meta.dirname, '../../docs/vectors');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const vector = (name: string): any => JSON.parse(readFileSync(path.join(VECTORS, name), 'utf8'));

describe('the outsider device client', () => {
	it('imports nothing but node builtins, socket.io-client and its own files', () => {
		const files = readdirSync(OUTSIDER_DIR).filter((f) => f.endsWith('.ts'));
		expect(files.length).toBeGreaterThanOrEqual(2);
		for (const f of files) {
			const text = readFileSync(path.join(OUTSIDER_DIR, f), 'utf8');
			const specifiers = [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]/g)].map(
				(m) => m[1] ?? m[2] ?? m[3]!
			);
			expect(specifiers.length, f).toBeGreaterThan(0);
			for (const s of specifiers) expect(s, `${f} imports ${s}`).toMatch(/^(node:[a-z_/]+|socket\.io-client|\.\/[\w-]+)$/);
		}
	});

	it('reproduces every published vector with its own code', async () => {
		for (const c of vector('canonical-json.json').cases) {
			const value = JSON.parse(c.inputJson);
			for (const k of c.undefinedMembers ?? []) value[k] = undefined;
			expect(P.canonical(value), c.name).toBe(c.canonical);
		}
		for (const t of vector('merkle.json').trees) {
			t.leaves.forEach((l: { leaf: { deviceId: string; correlators: string[] }; leafJson: string; proof: string[] }, i: number) => {
				expect(P.leafJson(l.leaf.deviceId, l.leaf.correlators)).toBe(l.leafJson);
				expect(P.merkleVerify(Buffer.from(l.leafJson), i, t.leafCount, l.proof, t.root)).toBe(true);
			});
		}
		const keys = vector('keys.json');
		const m = vector('messages.json');
		expect(P.authMessage(m.deviceAuth.nonce, keys.device.deviceId, keys.origin)).toBe(m.deviceAuth.message);
		expect(P.enrollMessage(m.enrollProof.code, keys.device.publicKey)).toBe(m.enrollProof.message);
		expect(P.trustMessage(m.trust.statement)).toBe(m.trust.message);
		expect(P.commandMessage(m.command.header)).toBe(m.command.message);
		expect(P.ed25519Verify(keys.ma.publicKey, m.command.message, m.command.signature)).toBe(true);
		expect(P.resultMessage(keys.device.deviceId, { ...m.result.result, signature: 'ignored' })).toBe(m.result.message);
		const pkg = m.commandSet.operations[0].package;
		expect(P.packageMessage({ maId: keys.ma.maId, ...pkg })).toBe(m.packageSignature.bytesText);
		const s = vector('sealed-package.json');
		const key = await webcrypto.subtle.importKey('jwk', s.deviceEncryptionKey.jwk, { name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
		const opened = await P.openSealed(key, P.unb64u(s.sealedB64u));
		expect(opened.bundle.toString('utf8')).toBe(s.bundleText);
		expect(P.sha256(opened.bundle).toString('hex')).toBe(s.bundleSha256);
	});

	it('verifies the published command set, and refuses altered, misaddressed and expired copies with their codes', () => {
		const keys = vector('keys.json');
		const set = vector('messages.json').commandSet;
		const d = new OutsiderDevice('http://unused.invalid');
		d.deviceId = keys.device.deviceId;
		d.trust = set.trust.statement;
		const before = set.envelope.header.expiresAt - 1;
		expect(d.verify(set, before)).toBeNull();
		expect(d.verify({ ...set, intent: 'Something else' }, before)?.code).toBe(1453);
		const swapped = structuredClone(set);
		swapped.operations.reverse();
		expect(d.verify(swapped, before)?.code).toBe(1453);
		d.deviceId = '01900000-0000-7000-8000-000000000002';
		expect(d.verify(set, before)?.code).toBe(1456);
		d.deviceId = keys.device.deviceId;
		expect(d.verify(set, set.envelope.header.expiresAt + 1)?.code).toBe(1454);
	});
});

describe('the outsider device against the real server', () => {
	let server: TestServer;
	let token: string;
	const api = async (method: string, p: string, body?: unknown) => {
		const res = await fetch(`${server.url}${p}`, {
			method,
			headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
	};

	beforeAll(async () => {
		server = await startTestServer();
		token = newMa(server, 'Outsider MA').token;
	});
	afterAll(async () => {
		await server?.close();
	});

	it('enrolls, authenticates, verifies a fan-out, opens the sealed package, installs, starts and reports', async () => {
		const bundle = 'export default { start() { return "hello from outside"; } };\n';
		const manifest = { id: 'com.outsider.hello', name: 'Hello', version: '1.0.0', permissions: [], compatibleBaselines: ['*'], entry: 'main.js' };
		expect((await api('POST', '/api/v1/packages', { manifest, bundle })).status).toBe(201);

		// Three devices, so the command is a real fan-out with a Merkle proof per device.
		const devices = [0, 1, 2].map(() => new OutsiderDevice(server.url));
		for (const d of devices) {
			const code = await api('POST', '/api/v1/enrollment-codes', { label: 'outsider' });
			expect(code.status).toBe(201);
			await d.enroll(code.body.code);
			expect(await d.connect()).toMatchObject({ ok: true, deviceId: d.deviceId });
		}
		const results = devices.map((d) => {
			const got: OutsiderEvent[] = [];
			const done = new Promise<OutsiderEvent[]>((resolve) =>
				d.on('event', (e: OutsiderEvent) => {
					got.push(e);
					if (got.filter((x) => x.type === 'result').length === 2) resolve(got);
				})
			);
			return done;
		});
		const created = await api('POST', '/api/v1/operations', {
			deviceIds: devices.map((d) => d.deviceId),
			operations: [{ kind: 'DownloadInstall', componentId: manifest.id, version: '1.0.0' }, { kind: 'Start', componentId: manifest.id }],
			consentMode: 'notify',
			intent: 'Say hello.'
		});
		expect(created.status).toBe(202);

		for (const [i, events] of (await Promise.all(results)).entries()) {
			expect(events.filter((e) => e.type === 'refused'), `device ${i}`).toEqual([]);
			expect(events.find((e) => e.type === 'installed')).toMatchObject({ bundle });
			const acked = events.filter((e): e is Extract<OutsiderEvent, { type: 'result' }> => e.type === 'result');
			expect(acked.map((r) => [r.resultCode, r.ack])).toEqual([
				[1200, { ok: true, duplicate: false }],
				[1200, { ok: true, duplicate: false }]
			]);
		}
		for (const d of devices) {
			const ops = await api('GET', `/api/v1/operations?deviceId=${d.deviceId}`);
			expect(ops.body.items.map((o: { kind: string; status: string; resultCode: number }) => [o.kind, o.status, o.resultCode]).sort()).toEqual([
				['DownloadInstall', 'completed', 1200],
				['Start', 'completed', 1200]
			]);
			const inventory = await api('GET', `/api/v1/devices/${d.deviceId}/inventory`);
			expect(inventory.body.items).toMatchObject([{ componentId: manifest.id, stage: 'deployed', state: 'Active', operational: 'Running' }]);
		}
		for (const d of devices) d.close();
	});

	it('reports what it does not implement with 1411, and the server records that result', async () => {
		const code = await api('POST', '/api/v1/enrollment-codes', {});
		const d = new OutsiderDevice(server.url);
		await d.enroll(code.body.code);
		await d.connect();
		const created = await api('POST', '/api/v1/operations', { deviceIds: [d.deviceId], operations: [{ kind: 'Inventory' }], consentMode: 'silent' });
		const correlator = created.body.operations[0].correlator;
		const [event] = (await once(d, 'event')) as [OutsiderEvent];
		// The outsider answers Inventory with 1411 (not implemented); that signed result is recorded as such.
		expect(event).toMatchObject({ type: 'result', correlator, resultCode: 1411, ack: { ok: true } });
		const op = await api('GET', `/api/v1/operations/${correlator}`);
		expect(op.body).toMatchObject({ status: 'failed', resultCode: 1411 });
		d.close();
	});
});
