/**
 * The server's side of H1/H2 on a real SQLite store: rows written behind the server's back do not change the
 * trust statement it issues; a change of approvers or a weaker policy reaches the statement only as a grant
 * an owner co-signed with a passkey the devices already trust, and the device runtime's own check takes the
 * resulting statement; four eyes; a restored database continues above the devices' sequence numbers.
 */
import { describe, it, expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import { insertAdmin, insertMembership, insertPasskey } from '../auth/accounts';
import { newId } from '../ids';
import { serviceHarness } from '../services/test-harness';
import { trustUpdateVerdict } from '../../device/verify';
import { SoftAuthenticator } from '../../../../tests/support/soft-authenticator';

const APP = 'com.acme.app';
const b64u = (b: Uint8Array | Buffer) => Buffer.from(b).toString('base64url');

function setup() {
	const h = serviceHarness();
	const { maId, deviceId } = h.maWithDevice();
	h.upload(maId, APP, '1.0.0');
	h.relay.online.add(deviceId);
	const owner = admin(h, maId, 'owner', 'Olga Owner');
	const pinned = h.services.signing.trust.current(maId);
	return { h, maId, deviceId, owner, pinned };
}

/** An administrator with one ES256 software passkey, written as the auth flows write it. */
function admin(h: ReturnType<typeof serviceHarness>, maId: string, role: 'owner' | 'operator' | 'viewer', name: string) {
	const authenticator = new SoftAuthenticator(h.config.origin);
	authenticator.register({ challenge: b64u(randomBytes(32)), rp: { id: 'localhost' }, user: { id: b64u(randomBytes(16)) } });
	const cred = authenticator.credentials[0]!;
	const adminId = newId();
	insertAdmin(h.db, { id: adminId, displayName: name, userHandle: cred.userHandle }, h.time.now);
	insertPasskey(h.db, adminId, { id: b64u(cred.id), publicKey: b64u(cred.cosePublicKey), counter: 0, transports: [], deviceType: 'singleDevice', backedUp: false }, `${name}'s key`, h.time.now);
	insertMembership(h.db, adminId, maId, role, h.time.now);
	h.services.signing.trust.invalidate(maId);
	return { authenticator, adminId, credentialId: b64u(cred.id) };
}

const sqlite = (h: ReturnType<typeof serviceHarness>) => h.store.sqlite;

describe('the database is not trusted with the approvers (H1)', () => {
	it('rows written directly (highRiskKinds = [], a rogue owner passkey, the real one deleted) change nothing the server issues; a Remove stays held', () => {
		const { h, maId, deviceId, owner, pinned } = setup();
		sqlite(h).prepare(`update management_authorities set settings = json_set(settings, '$.highRiskKinds', json('[]')) where id = ?`).run(maId);
		const rogue = admin(h, maId, 'owner', 'Mallory');
		sqlite(h).prepare('delete from passkeys where id = ?').run(owner.credentialId);
		h.services.signing.trust.invalidate(maId);
		const now = h.services.signing.trust.current(maId).statement;
		expect(now.seq).toBe(pinned.statement.seq);
		expect(now.credentials.map((c) => c.credentialId)).toEqual([owner.credentialId]);
		expect(now.policy.kinds).toEqual(['Remove']);
		const r = h.services.operations.create(maId, h.system, { deviceIds: [deviceId], operations: [{ kind: 'Remove', componentId: APP }], consentMode: 'silent', intent: '' });
		expect(r.ok && r.value.approval).toBe('pending');
		// The rogue passkey is not one the devices trust: the server will not take its approval either.
		const options = h.services.signing.approvals.options(maId, rogue.adminId, r.ok ? r.value.batchId : '');
		expect(options).toMatchObject({ ok: false, error: { code: 'forbidden' } });
		// The console shows the change the database asks for, awaiting an owner.
		expect(h.services.signing.trustChanges.pending(maId)).toMatchObject({ added: [{ adminName: 'Mallory' }], policy: { to: { kinds: [] } } });
		// And only an owner with a trusted passkey could approve it (Mallory's is not trusted).
		expect(h.services.signing.trustChanges.options(maId, rogue.adminId)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
	});
});

describe('an owner co-signs a change of approvers (H1/H2)', () => {
	it('a new operator’s passkey reaches the statement only after the owner’s assertion; the device runtime takes it', async () => {
		const { h, maId, owner, pinned } = setup();
		const operator = admin(h, maId, 'operator', 'Otto');
		expect(h.services.signing.trust.current(maId).statement.credentials.map((c) => c.credentialId)).toEqual([owner.credentialId]);
		const change = h.services.signing.trustChanges.pending(maId);
		expect(change).toMatchObject({ added: [{ adminName: 'Otto', credentialId: operator.credentialId }], removed: [], policy: null, blocked: null });
		// An operator may not approve trust changes; the owner may.
		expect(h.services.signing.trustChanges.options(maId, operator.adminId)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
		const options = h.services.signing.trustChanges.options(maId, owner.adminId);
		if (!options.ok) throw new Error(options.error.message);
		expect(options.value.challenge).toBe(change!.challenge);
		// An assertion over something else is refused.
		const wrong = owner.authenticator.assert({ challenge: b64u(randomBytes(32)), rpId: 'localhost' });
		expect(await h.services.signing.trustChanges.approve(maId, owner.adminId, wrong)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
		const response = owner.authenticator.assert({ challenge: options.value.challenge, rpId: 'localhost' });
		expect(await h.services.signing.trustChanges.approve(maId, owner.adminId, response)).toMatchObject({ ok: true, value: { epoch: 1 } });
		const next = h.services.signing.trust.current(maId);
		expect(next.statement).toMatchObject({ epoch: 1, seq: pinned.statement.seq + 1 });
		expect(next.statement.credentials.map((c) => c.credentialId).sort()).toEqual([owner.credentialId, operator.credentialId].sort());
		expect(next.links).toHaveLength(1);
		expect(h.services.signing.trustChanges.pending(maId)).toBeNull();
		// The device's own check: a pinned MA key signed it and a pinned passkey approved the change.
		expect(await trustUpdateVerdict(pinned.statement, next, h.time.now)).toEqual({ take: true });
		// The same statement without its approval link is refused by the device.
		const { links: _dropped, ...bare } = next;
		expect(await trustUpdateVerdict(pinned.statement, bare, h.time.now)).toMatchObject({ take: false, reason: expect.stringContaining('epoch') });
	});

	it('a stricter policy is issued at once; a weaker one waits for an owner', () => {
		const { h, maId } = setup();
		h.services.mas.updateSettings(maId, h.system, { highRiskKinds: ['Remove', 'Stop'] });
		h.services.signing.trust.invalidate(maId);
		expect(h.services.signing.trust.current(maId).statement.policy.kinds).toEqual(['Remove', 'Stop']);
		h.services.mas.updateSettings(maId, h.system, { highRiskKinds: [] });
		h.services.signing.trust.invalidate(maId);
		expect(h.services.signing.trust.current(maId).statement.policy.kinds).toEqual(['Remove', 'Stop']);
		expect(h.services.signing.trustChanges.pending(maId)?.policy).toEqual({ from: { kinds: ['Remove', 'Stop'], fanout: 100 }, to: { kinds: [], fanout: 100 } });
	});
});

describe('four eyes (H2)', () => {
	it('whoever created a fan-out above the threshold may not approve it (the default); the high-risk setting extends that to every high-risk batch', async () => {
		const { h, maId, owner } = setup();
		const devices = [h.enrollDevice(maId).deviceId, h.enrollDevice(maId).deviceId, h.enrollDevice(maId).deviceId];
		h.services.mas.updateSettings(maId, h.system, { highRiskFanout: 2 });
		h.services.signing.trust.invalidate(maId);
		const r = h.services.operations.create(maId, { type: 'admin', id: owner.adminId }, { deviceIds: devices, operations: [{ kind: 'Inventory' }], consentMode: 'silent', intent: '' });
		if (!r.ok) throw new Error(r.error.message);
		expect(r.value.approval).toBe('pending');
		expect(h.services.signing.approvals.options(maId, owner.adminId, r.value.batchId)).toMatchObject({ ok: false, error: { code: 'four_eyes_required' } });
		// A small Remove by the same owner is high-risk but not a fan-out: the default setting lets them approve.
		const small = h.services.operations.create(maId, { type: 'admin', id: owner.adminId }, { deviceIds: devices.slice(0, 1), operations: [{ kind: 'Remove', componentId: APP }], consentMode: 'silent', intent: '' });
		if (!small.ok) throw new Error(small.error.message);
		expect(h.services.signing.approvals.options(maId, owner.adminId, small.value.batchId).ok).toBe(true);
		// 'high-risk' asks for four eyes on every high-risk batch.
		h.services.mas.updateSettings(maId, h.system, { fourEyes: 'high-risk' });
		expect(h.services.signing.approvals.options(maId, owner.adminId, small.value.batchId)).toMatchObject({ ok: false, error: { code: 'four_eyes_required' } });
	});
});

describe('database restore (LOW)', () => {
	it('continues the trust sequence above what a device reports, within bounds', () => {
		const { h, maId } = setup();
		const seq = h.services.signing.trust.current(maId).statement.seq;
		// A device holding seq + 5 (the database was restored from an older backup).
		expect(h.services.signing.trust.observeDeviceSeq(maId, seq + 5)).toBe(true);
		expect(h.services.signing.trust.current(maId).statement.seq).toBe(seq + 6);
		// Lower or equal reports change nothing; absurd jumps are ignored.
		expect(h.services.signing.trust.observeDeviceSeq(maId, seq)).toBe(false);
		expect(h.services.signing.trust.observeDeviceSeq(maId, Number.MAX_SAFE_INTEGER)).toBe(false);
		expect(h.services.signing.trust.current(maId).statement.seq).toBe(seq + 6);
	});
});
