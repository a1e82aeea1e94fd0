/**
 * The server's side of command security (SCOMO-SEC-01, SEC-02) on a real SQLite store: one signature per
 * fan-out with a valid Merkle proof per device, sealed private keys, high-risk batches held until a passkey
 * approves them, rotation, revocation and signed results.
 */
import { describe, it, expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { openSecret } from './master-key';
import { MIN_ROTATION_OVERLAP_MS } from './ma-keys';
import path from 'node:path';
import { RC } from '../../core';
import { envelopeMessage, leafBytes, operationMatches, resultMessage, trustMessage } from '../../core/envelope';
import { verifyMerkleProof } from '../../core/merkle';
import { sha256 } from '../../core/merkle-sha256';
import { insertAdmin, insertMembership, insertPasskey } from '../auth/accounts';
import * as devicesRepo from '../db/repos/devices';
import * as enrollmentsRepo from '../db/repos/enrollments';
import { maSigningKeys, batchEnvelopes } from '../db/schema-security';
import { newId } from '../ids';
import { serviceHarness, settle } from '../services/test-harness';
import { verifyEd25519 } from '../services/ed25519';
import { SoftAuthenticator } from '../../../../tests/support/soft-authenticator';

const APP = 'com.acme.app';
const b64u = (b: Uint8Array | Buffer) => Buffer.from(b).toString('base64url');
const b = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));

function fleet(n: number) {
	const h = serviceHarness();
	const first = h.maWithDevice();
	const devices = [first.deviceId, ...Array.from({ length: n - 1 }, () => h.enrollDevice(first.maId).deviceId)];
	h.upload(first.maId, APP, '1.0.0');
	for (const d of devices) h.relay.online.add(d);
	return { h, maId: first.maId, devices, firstKeys: first.keys };
}

function ownerWithPasskey(h: ReturnType<typeof serviceHarness>, maId: string, role: 'owner' | 'operator' | 'viewer' = 'owner') {
	const authenticator = new SoftAuthenticator(h.config.origin);
	authenticator.register({ challenge: b64u(randomBytes(32)), rp: { id: 'localhost' }, user: { id: b64u(randomBytes(16)) } });
	const cred = authenticator.credentials[0]!;
	const adminId = newId();
	insertAdmin(h.db, { id: adminId, displayName: 'Owner', userHandle: cred.userHandle }, h.time.now);
	insertPasskey(h.db, adminId, { id: b64u(cred.id), publicKey: b64u(cred.cosePublicKey), counter: 0, transports: [], deviceType: 'singleDevice', backedUp: false }, 'key', h.time.now);
	insertMembership(h.db, adminId, maId, role, h.time.now);
	h.services.signing.trust.invalidate(maId);
	return { authenticator, adminId };
}

describe('signed batches: one signature per fan-out', () => {
	it('signs a batch to 25 devices once; every device gets a proof that verifies against the signed root', async () => {
		const { h, maId, devices } = fleet(25);
		const r = h.services.operations.create(maId, h.system, {
			deviceIds: devices,
			operations: [{ kind: 'DownloadInstall', componentId: APP }, { kind: 'Start', componentId: APP }],
			consentMode: 'notify',
			intent: 'roll out'
		});
		expect(r.ok && r.value.approval).toBe('not-required');
		await settle();
		expect(h.relay.sent).toHaveLength(25);
		expect(h.db.select().from(batchEnvelopes).all()).toHaveLength(1);
		const trust = h.services.signing.trust.current(maId).statement;
		const signatures = new Set(h.relay.sent.map((s) => s.set.envelope!.signature));
		expect(signatures.size).toBe(1);
		for (const { deviceId, set } of h.relay.sent) {
			const env = set.envelope!;
			const key = trust.keys.find((k) => k.keyId === env.keyId)!;
			expect(verifyEd25519(key.publicKey, envelopeMessage(env.header), env.signature)).toBe(true);
			expect(env.leaf.deviceId).toBe(deviceId);
			expect(env.leaf.correlators).toEqual(set.operations.map((o) => o.correlator));
			expect(verifyMerkleProof(sha256, leafBytes(env.leaf), env.index, env.header.leafCount, env.proof.map(b), b(env.header.root))).toBe(true);
			set.operations.forEach((op, i) => expect(operationMatches(sha256, op, env.header.operations[i]!)).toBe(true));
			expect(env.header).toMatchObject({ leafCount: 25, consentMode: 'notify', intent: 'roll out', expiresAt: set.expiresAt });
			expect(set.trust?.statement.seq).toBe(trust.seq);
		}
	});

	it('delivers the same envelope again on reconnect, with a proof rebuilt from the database', async () => {
		const { h, maId, devices } = fleet(3);
		h.relay.online.delete(devices[2]!);
		h.services.operations.create(maId, h.system, { deviceIds: devices, operations: [{ kind: 'Inventory' }], consentMode: 'silent', intent: '' });
		await settle();
		const first = h.relay.sent[0]!.set.envelope!;
		// A new service instance (a restarted server) has no cached tree.
		h.relay.online.add(devices[2]!);
		await h.services.operations.deliverOpen(devices[2]!);
		const later = h.relay.sent.find((s) => s.deviceId === devices[2])!.set.envelope!;
		expect(later.header).toEqual(first.header);
		expect(later.signature).toBe(first.signature);
		expect(verifyMerkleProof(sha256, leafBytes(later.leaf), later.index, 3, later.proof.map(b), b(later.header.root))).toBe(true);
	});

	it('keeps the private key sealed under the master key file', () => {
		const { h, maId } = fleet(1);
		const key = h.services.signing.keys.current(maId);
		const row = h.db.select().from(maSigningKeys).all()[0]!;
		expect(row.sealedPrivateKey.startsWith('v1.')).toBe(true);
		expect(existsSync(h.config.masterKeyFile)).toBe(true);
		expect(h.config.masterKeyFile).toBe(path.join(h.dataDir, 'master.key'));
		// Only the master key opens it, and what it opens is the private half of the published key.
		const master = Buffer.from(readFileSync(h.config.masterKeyFile, 'utf8'), 'base64url');
		const der = openSecret(master, row.sealedPrivateKey, `scomo-ma-signing-key:v1:${maId}:${row.id}`);
		const pub = createPublicKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })).export({ format: 'jwk' }).x;
		expect(pub).toBe(row.publicKey);
		expect(() => openSecret(randomBytes(32), row.sealedPrivateKey, `scomo-ma-signing-key:v1:${maId}:${row.id}`)).toThrow();
		// It signs, and what it signs verifies with the public key.
		const s = h.services.signing.keys.signCurrent(maId, 'hello');
		expect(s.keyId).toBe(key.id);
		expect(verifyEd25519(key.publicKey, 'hello', s.signature)).toBe(true);
	});
});

describe('high-risk batches (passkey-bound operations)', () => {
	it('holds a Remove until an owner’s passkey approves it, then relays it with the assertion', async () => {
		const { h, maId, devices } = fleet(2);
		const { authenticator, adminId } = ownerWithPasskey(h, maId);
		const r = h.services.operations.create(maId, h.system, { deviceIds: devices, operations: [{ kind: 'Remove', componentId: APP }], consentMode: 'silent', intent: 'clean up' });
		expect(r.ok && r.value.approval).toBe('pending');
		await settle();
		await h.services.operations.deliverOpen(devices[0]!);
		expect(h.relay.sent).toHaveLength(0);

		const approvals = h.services.signing.approvals;
		expect(approvals.pending(maId).map((p) => p.batchId)).toEqual([r.ok ? r.value.batchId : '']);
		const batchId = r.ok ? r.value.batchId : '';
		const opts = approvals.options(maId, adminId, batchId);
		expect(opts.ok).toBe(true);
		if (!opts.ok) return;
		// An operator of another MA, a viewer of this one, and an unknown administrator may not approve, even
		// with a valid assertion of their own passkey over the right challenge; the batch stays held.
		const otherMa = h.maWithDevice().maId;
		const outsider = ownerWithPasskey(h, otherMa, 'operator');
		const viewer = ownerWithPasskey(h, maId, 'viewer');
		// The one policy answers: to a non-member the MA's batch does not exist (not_found, like a missing one);
		// a viewer sees it but its role is too weak (forbidden).
		for (const [who, code] of [
			[outsider, 'not_found'],
			[viewer, 'forbidden']
		] as const) {
			expect(approvals.options(maId, who.adminId, batchId)).toMatchObject({ ok: false, error: { code } });
			const own = who.authenticator.assert({ challenge: opts.value.challenge, rpId: 'localhost' });
			expect(await approvals.approve(maId, { type: 'admin', id: who.adminId }, batchId, own)).toMatchObject({ ok: false, error: { code } });
		}
		expect(approvals.options(maId, newId(), batchId)).toMatchObject({ ok: false, error: { code: 'not_found' } });
		// Another MA's batch and a missing one give the same answer.
		expect(approvals.options(otherMa, outsider.adminId, batchId)).toMatchObject({ ok: false, error: { code: 'not_found' } });
		expect(approvals.options(maId, adminId, newId())).toMatchObject({ ok: false, error: { code: 'not_found' } });
		expect(approvals.pending(maId).map((p) => p.batchId)).toEqual([batchId]);
		await h.services.operations.relayBatch(batchId);
		expect(h.relay.sent).toHaveLength(0);
		const response = authenticator.assert({ challenge: opts.value.challenge, rpId: 'localhost' });
		expect((await approvals.approve(maId, { type: 'admin', id: adminId }, batchId, response)).ok).toBe(true);
		// Approved once: a second approval is a conflict, not a second relay.
		expect((await approvals.approve(maId, { type: 'admin', id: adminId }, batchId, response)).ok).toBe(false);
		await h.services.operations.relayBatch(batchId);
		expect(h.relay.sent).toHaveLength(2);
		for (const { set } of h.relay.sent) {
			expect(set.envelope!.approval).toMatchObject({ credentialId: response.id, signature: response.response.signature });
			expect(set.trust!.statement.credentials.map((c) => c.credentialId)).toEqual([response.id]);
		}
		expect(approvals.pending(maId)).toEqual([]);
	});

	it('a pending batch whose operations were all cancelled leaves the approval list', () => {
		const { h, maId, devices } = fleet(1);
		ownerWithPasskey(h, maId);
		const r = h.services.operations.create(maId, h.system, { deviceIds: devices, operations: [{ kind: 'Remove', componentId: APP }], consentMode: 'silent', intent: '' });
		if (!r.ok) throw new Error(r.error.message);
		expect(h.services.signing.approvals.pending(maId)).toHaveLength(1);
		expect(h.services.operations.cancel(maId, h.system, r.value.operations[0]!.correlator).ok).toBe(true);
		expect(h.services.signing.approvals.pending(maId)).toEqual([]);
	});

	it('a fan-out above the threshold is high-risk too; an MA without passkeys cannot bind operations', async () => {
		const { h, maId, devices } = fleet(3);
		h.services.mas.updateSettings(maId, h.system, { highRiskFanout: 2 });
		h.services.signing.trust.invalidate(maId);
		const noPasskeys = h.services.operations.create(maId, h.system, { deviceIds: devices, operations: [{ kind: 'Inventory' }], consentMode: 'silent', intent: '' });
		expect(noPasskeys.ok && noPasskeys.value.approval).toBe('not-required');
		ownerWithPasskey(h, maId);
		const held = h.services.operations.create(maId, h.system, { deviceIds: devices, operations: [{ kind: 'Inventory' }], consentMode: 'silent', intent: '' });
		expect(held.ok && held.value.approval).toBe('pending');
		const small = h.services.operations.create(maId, h.system, { deviceIds: devices.slice(0, 2), operations: [{ kind: 'Inventory' }], consentMode: 'silent', intent: '' });
		expect(small.ok && small.value.approval).toBe('not-required');
	});
});

describe('key rotation', () => {
	it('a new key, the old one kept for the overlap; the statement is signed by both; open batches are re-signed', async () => {
		const { h, maId, devices } = fleet(1);
		h.relay.online.clear();
		h.services.operations.create(maId, h.system, { deviceIds: devices, operations: [{ kind: 'Inventory' }], consentMode: 'silent', intent: '' });
		const before = h.services.signing.trust.current(maId).statement;
		const old = h.services.signing.keys.current(maId);
		// A one-minute overlap would strand offline devices: the floor (one day) applies whoever asks.
		const r = h.services.signing.rotate(maId, h.system, 60_000);
		expect(r.retiring).toEqual({ keyId: old.id, validUntil: h.time.now + MIN_ROTATION_OVERLAP_MS });
		const signed = h.services.signing.trust.current(maId);
		expect(signed.statement.seq).toBe(before.seq + 1);
		expect(signed.statement.keys.map((k) => k.keyId)).toEqual([old.id, r.keyId]);
		for (const s of signed.signatures) {
			const key = signed.statement.keys.find((k) => k.keyId === s.keyId)!;
			expect(verifyEd25519(key.publicKey, trustMessage(signed.statement), s.signature)).toBe(true);
		}
		expect(signed.signatures.map((s) => s.keyId).sort()).toEqual([old.id, r.keyId].sort());
		h.relay.online.add(devices[0]!);
		await h.services.operations.deliverOpen(devices[0]!);
		expect(h.relay.sent[0]!.set.envelope!.keyId).toBe(r.keyId);
		// After the overlap the old key leaves the statement.
		h.time.now += MIN_ROTATION_OVERLAP_MS + 1;
		h.services.signing.trust.invalidate(maId);
		expect(h.services.signing.trust.current(maId).statement.keys.map((k) => k.keyId)).toEqual([r.keyId]);
	});
});

describe('revocation', () => {
	it('ends this MA’s enrollment and cancels its open operations; with no MA left the device is revoked and disconnected', () => {
		const { h, maId, devices, firstKeys } = fleet(1);
		const deviceId = devices[0]!;
		const other = h.services.mas.create('Other', h.system);
		if (!other.ok) throw new Error('no MA');
		h.enrollDevice(other.value.maId, 'base-1', firstKeys, deviceId);
		const disconnected: string[] = [];
		h.relay.disconnectDevice = (id) => void disconnected.push(id);
		h.relay.online.clear();
		const op = h.services.operations.create(maId, h.system, { deviceIds: [deviceId], operations: [{ kind: 'Inventory' }], consentMode: 'silent', intent: '' });
		const first = h.services.signing.revokeEnrollment(maId, h.system, deviceId);
		expect(first).toMatchObject({ ok: true, value: { deviceRevoked: false, cancelled: 1 } });
		expect(op.ok && h.services.operations.get(maId, op.value.operations[0]!.correlator)).toMatchObject({ ok: true, value: { status: 'cancelled', resultCode: RC.Cancelled } });
		expect(disconnected).toEqual([]);
		expect(enrollmentsRepo.activeMaIdsOfDevice(h.db, deviceId)).toEqual([other.value.maId]);
		expect(h.services.signing.revokeEnrollment(maId, h.system, deviceId)).toMatchObject({ ok: false, error: { code: 'not_found' } });
		const last = h.services.signing.revokeEnrollment(other.value.maId, h.system, deviceId);
		expect(last).toMatchObject({ ok: true, value: { deviceRevoked: true } });
		expect(disconnected).toEqual([deviceId]);
		expect(devicesRepo.getDevice(h.db, deviceId)?.revokedAt).not.toBeNull();
		expect(h.services.devices.authenticate(deviceId, 'nonce', 'sig')).toMatchObject({ ok: false, error: { code: 'device_unknown' } });
	});
});

describe('device results', () => {
	it('verifies the device key’s signature over the canonical result', () => {
		const { h, maId } = fleet(1);
		const { deviceId, keys } = h.enrollDevice(maId);
		const result = { correlator: 'abcdefgh12', resultCode: 1200, message: '', componentId: null, entry: null, completedAt: 1 };
		const signature = keys.sign(resultMessage(deviceId, result));
		expect(h.services.signing.verifyResult(deviceId, { ...result, signature })).toBe(true);
		expect(h.services.signing.verifyResult(deviceId, { ...result, resultCode: 1405, signature })).toBe(false);
		expect(h.services.signing.verifyResult(deviceId, result)).toBe(false);
	});
});
