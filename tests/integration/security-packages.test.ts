/**
 * SCOMO-SEC-03 with real parts: the in-process server (real SQLite, real socket.io) and a real agent process.
 * Packages are signed by the MA on upload, served only for a short-lived per-device token, sealed to the
 * receiving device's encryption key; the agent opens them and checks digest and signature before storing.
 * Every attack below ends in 1407 (or a clear HTTP error) with nothing installed and the inventory unchanged.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync, sign as nodeSign, createHash } from 'node:crypto';
import path from 'node:path';
import { startTestServer, newMa, manifest, type TestServer } from '../support/test-server';
import { agentBundlePath, agentInventory, startAgent, type AgentProcess } from '../support/agent-process';
import type { ApiClient, OperationView } from '../support/api-client';
import { loadOrCreateDecrypter } from '../../agent/decrypter';
import { signDownloadToken } from '../../src/lib/server/services/download-tokens';
import { bundlePath } from '../../src/lib/server/services/bundle-store';
import { isSealed, packageSignedBytes, SEALED_CONTENT_TYPE, type Manifest } from '../../src/lib/contract';
import { verifySignature } from '../../src/lib/device/package-check';
import { tempDir } from '../support/server-process';

const TERMINAL = ['completed', 'failed', 'expired', 'cancelled'];

let server: TestServer;
let ma: ReturnType<typeof newMa>;
let api: ApiClient;
let agent: AgentProcess;
let deviceId: string;
let seq = 0;

/** A fresh component (own ID) uploaded by the MA; its bundle carries a recognisable secret. */
async function upload(secret = `secret-${seq}`) {
	const id = `com.example.sec${seq++}`;
	const bundle = `export default {}; scomo.log(${JSON.stringify(secret)});\n`;
	const r = await api.uploadPackage(manifest(id, '1.0.0'), bundle);
	expect(r.status).toBe(201);
	return { id, bundle, versionId: r.body.versionId as string, sha256: r.body.sha256 as string };
}

async function downloadInstall(componentId: string): Promise<OperationView> {
	const r = await api.createOperations({ deviceIds: [deviceId], operations: [{ kind: 'DownloadInstall', componentId }], consentMode: 'silent' });
	expect(r.status).toBe(202);
	return api.waitForOperation(r.body.operations[0]!.correlator, (o) => TERMINAL.includes(o.status));
}

async function serverInventory() {
	const r = await api.getInventory(deviceId);
	return r.body.items
		.map(({ componentId, stage, version, state, operational }) => ({ componentId, stage, version, state, operational }))
		.sort((a, b) => a.componentId.localeCompare(b.componentId));
}

const db = () => server.ctx.store.sqlite;

/** Runs an attack: 1407, nothing stored on the device, both inventories as before. */
async function expectRefused(componentId: string, message: RegExp) {
	const before = agentInventory(agent, ma.maId);
	const op = await downloadInstall(componentId);
	expect(op).toMatchObject({ status: 'failed', resultCode: 1407 });
	expect(op.resultMessage).toMatch(message);
	expect(agentInventory(agent, ma.maId)).toEqual(before);
	expect(await serverInventory()).toEqual(before);
	expect(existsSync(agentBundlePath(agent, ma.maId, componentId))).toBe(false);
}

beforeAll(async () => {
	server = await startTestServer();
	ma = newMa(server, 'Acme');
	api = ma.api;
	const code = (await api.createEnrollmentCode()).body.code;
	agent = startAgent({ server: server.url, enroll: code, consent: { default: 'accept' } });
	deviceId = String((await agent.waitEvent('enrolled')).deviceId);
	await agent.waitEvent('connected');
});

afterAll(async () => {
	await agent?.kill();
	await server?.close();
});

describe('package integrity and confidentiality (SCOMO-SEC-03)', () => {
	it('the MA signs each version on upload over owner, manifest, digest and size', async () => {
		const p = await upload();
		const row = db().prepare('select signature, manifest, bundle_size as size from package_versions where id = ?').get(p.versionId) as {
			signature: string | null;
			manifest: string;
			size: number;
		};
		expect(row.signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
		const keys = server.ctx.services.signing.listKeys(ma.maId);
		const message = packageSignedBytes({
			maId: ma.maId,
			componentId: p.id,
			version: '1.0.0',
			sha256: p.sha256,
			size: row.size,
			manifest: JSON.parse(row.manifest) as Manifest
		});
		expect(await verifySignature({ algorithm: 'Ed25519', publicKey: keys[0]!.publicKey }, message, row.signature!)).toBe(true);
	});

	it('a package reaches the device sealed to its key: installed (1200), and the server holds the device encryption key', async () => {
		const p = await upload();
		const op = await downloadInstall(p.id);
		expect(op).toMatchObject({ status: 'completed', resultCode: 1200 });
		expect(agentInventory(agent, ma.maId).find((c) => c.componentId === p.id)).toMatchObject({ stage: 'deployed' });
		const decrypter = await loadOrCreateDecrypter(agent.dataDir);
		const row = db().prepare('select encryption_key as k from devices where id = ?').get(deviceId) as { k: string };
		expect(row.k).toBe(decrypter.publicKey);
		expect(agent.identity().encryptionKey).toBe(decrypter.publicKey);
	});

	it('a copied download link yields only ciphertext that only the device can open; never the bundle', async () => {
		const p = await upload('top-secret-payload');
		const token = signDownloadToken(server.ctx.secrets.downloadKey, { deviceId, versionId: p.versionId, expiresAt: Date.now() + 60_000 });
		const res = await fetch(`${server.url}/api/device/bundles/${token}`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe(SEALED_CONTENT_TYPE);
		expect(res.headers.get('cache-control')).toBe('private, no-store');
		expect(res.headers.get('x-content-sha256')).toBeNull();
		const body = new Uint8Array(await res.arrayBuffer());
		expect(isSealed(body)).toBe(true);
		expect(Buffer.from(body).includes(Buffer.from('top-secret-payload'))).toBe(false);
		expect(Buffer.from(body).includes(Buffer.from(p.bundle))).toBe(false);

		const mine = await (await loadOrCreateDecrypter(agent.dataDir)).open(body);
		expect(mine.ok && Buffer.from(mine.bytes).toString('utf8')).toBe(p.bundle);
		const stranger = await (await loadOrCreateDecrypter(tempDir('scomo-stranger-'))).open(body);
		expect(stranger.ok).toBe(false);
		// The same link again: new ephemeral key and nonce, so a cache in between learns nothing by comparing.
		const again = new Uint8Array(await (await fetch(`${server.url}/api/device/bundles/${token}`)).arrayBuffer());
		expect(Buffer.from(again).equals(Buffer.from(body))).toBe(false);
	});

	it('an expired, forged or altered download token is a clear 403 download_token_invalid', async () => {
		const p = await upload();
		const key = server.ctx.secrets.downloadKey;
		const expired = signDownloadToken(key, { deviceId, versionId: p.versionId, expiresAt: Date.now() - 1 });
		const forged = signDownloadToken(Buffer.alloc(32, 7), { deviceId, versionId: p.versionId, expiresAt: Date.now() + 60_000 });
		const good = signDownloadToken(key, { deviceId, versionId: p.versionId, expiresAt: Date.now() + 60_000 });
		const altered = `${good.slice(0, 5)}${good[5] === 'A' ? 'B' : 'A'}${good.slice(6)}`;
		for (const token of [expired, forged, altered, 'x', 'a.b']) {
			const res = await fetch(`${server.url}/api/device/bundles/${token}`);
			expect(res.status, token).toBe(403);
			expect(((await res.json()) as { error: { code: string } }).error.code).toBe('download_token_invalid');
		}
	});

	it('a tampered bundle on the server: 1407, nothing installed, inventory unchanged', async () => {
		const p = await upload();
		const file = bundlePath(server.dataDir, p.sha256);
		const text = readFileSync(file, 'utf8');
		writeFileSync(file, text.replace('secret', 'SECRET')); // same length, other digest
		await expectRefused(p.id, /digest/);
	});

	it('a truncated bundle: 1407, nothing installed, inventory unchanged', async () => {
		const p = await upload();
		const file = bundlePath(server.dataDir, p.sha256);
		writeFileSync(file, readFileSync(file).subarray(0, 10));
		await expectRefused(p.id, /bytes/);
	});

	it('a tampered manifest (more permissions than the MA signed): 1407, nothing installed', async () => {
		const p = await upload();
		const row = db().prepare('select manifest from package_versions where id = ?').get(p.versionId) as { manifest: string };
		const m = JSON.parse(row.manifest) as Manifest;
		db()
			.prepare('update package_versions set manifest = ? where id = ?')
			.run(JSON.stringify({ ...m, permissions: ['storage', 'camera', 'location'] }), p.versionId);
		await expectRefused(p.id, /signature/);
	});

	it('a package signed with another key, or not signed at all: 1407, nothing installed', async () => {
		const wrong = await upload();
		const { privateKey } = generateKeyPairSync('ed25519');
		const row = db().prepare('select manifest, bundle_size as size from package_versions where id = ?').get(wrong.versionId) as {
			manifest: string;
			size: number;
		};
		const forged = nodeSign(
			null,
			packageSignedBytes({ maId: ma.maId, componentId: wrong.id, version: '1.0.0', sha256: wrong.sha256, size: row.size, manifest: JSON.parse(row.manifest) }),
			privateKey
		).toString('base64url');
		db().prepare('update package_versions set signature = ? where id = ?').run(forged, wrong.versionId);
		await expectRefused(wrong.id, /signature/);

		const unsigned = await upload();
		db().prepare('update package_versions set signature = null where id = ?').run(unsigned.versionId);
		await expectRefused(unsigned.id, /not signed/);
	});

	it('a server that serves plaintext to a device with an encryption key (downgrade): 1407, nothing installed', async () => {
		const p = await upload();
		const key = (db().prepare('select encryption_key as k from devices where id = ?').get(deviceId) as { k: string }).k;
		db().prepare('update devices set encryption_key = null where id = ?').run(deviceId);
		try {
			await expectRefused(p.id, /not encrypted/);
		} finally {
			db().prepare('update devices set encryption_key = ? where id = ?').run(key, deviceId);
		}
	});

	it('after a key rotation the versions are signed again with the new key and still install (1200)', async () => {
		const p = await upload();
		const before = (db().prepare('select signature from package_versions where id = ?').get(p.versionId) as { signature: string }).signature;
		server.ctx.services.signing.rotate(ma.maId, { type: 'system', id: 'test' }, 60_000);
		const after = (db().prepare('select signature from package_versions where id = ?').get(p.versionId) as { signature: string }).signature;
		expect(after).not.toBe(before);
		const op = await downloadInstall(p.id);
		expect(op).toMatchObject({ status: 'completed', resultCode: 1200 });
		// The stored bundle is the plaintext the MA uploaded, byte for byte.
		const stored = readFileSync(agentBundlePath(agent, ma.maId, p.id, '1.0.0'));
		expect(createHash('sha256').update(stored).digest('hex')).toBe(p.sha256);
	});
});
