/**
 * Rollout approvals on the server (issue #17, SCOMO-SEC-02) on a real SQLite store with real keys: an
 * administrator's passkey (a software authenticator producing real WebAuthn assertions) approves a rollout's
 * definition once; each batch of the rollout is signed with the definition in its header and relayed at once
 * with that assertion; the device's own verifier (the one the agent and the PWA run) accepts it end to end.
 */
import { describe, it, expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import { RC } from '../../core';
import { approvalChallenge, envelopeOperation, type AdminApproval } from '../../core/envelope';
import { sha256 } from '../../core/merkle-sha256';
import { rolloutApprovalChallenge, type RolloutDefinition } from '../../core/rollout-approval';
import { insertAdmin, insertMembership, insertPasskey } from '../auth/accounts';
import * as batchesRepo from '../db/repos/batches';
import * as opsRepo from '../db/repos/operations';
import type { OperationRow } from '../db/repos/operations';
import { auditEvents } from '../db/schema';
import { passkeys } from '../db/schema-auth';
import { batchEnvelopes } from '../db/schema-security';
import { newId } from '../ids';
import { serviceHarness, settle } from '../services/test-harness';
import { CommandVerifier } from '../../device/verify';
import { LedgerKeeper } from '../../device/ledger';
import { MemoryStateStore } from '../../device/memory-adapters';
import type { Identity } from '../../device/ports';
import * as v from 'valibot';
import { CommandSet } from '../../contract/device-protocol';
import { SoftAuthenticator } from '../../../../tests/support/soft-authenticator';

const APP = 'com.acme.app';
const b64u = (b: Uint8Array | Buffer) => Buffer.from(b).toString('base64url');
const DAY = 86_400_000;

function fleet(n: number) {
	const h = serviceHarness();
	const first = h.maWithDevice();
	const devices = [first.deviceId, ...Array.from({ length: n - 1 }, () => h.enrollDevice(first.maId).deviceId)];
	h.upload(first.maId, APP, '1.0.0');
	for (const d of devices) h.relay.online.add(d);
	return { h, maId: first.maId, devices };
}
type H = ReturnType<typeof serviceHarness>;

function adminWithPasskey(h: H, maId: string, role: 'owner' | 'operator' | 'viewer' = 'owner') {
	const authenticator = new SoftAuthenticator(h.config.origin);
	authenticator.register({ challenge: b64u(randomBytes(32)), rp: { id: 'localhost' }, user: { id: b64u(randomBytes(16)) } });
	const cred = authenticator.credentials[0]!;
	const adminId = newId();
	insertAdmin(h.db, { id: adminId, displayName: role, userHandle: cred.userHandle }, h.time.now);
	insertPasskey(h.db, adminId, { id: b64u(cred.id), publicKey: b64u(cred.cosePublicKey), counter: 0, transports: [], deviceType: 'singleDevice', backedUp: false }, 'key', h.time.now);
	insertMembership(h.db, adminId, maId, role, h.time.now);
	h.services.signing.trust.invalidate(maId);
	return { authenticator, adminId, actor: { type: 'admin' as const, id: adminId } };
}

/** A rollout of the MA (a draft: authorisation looks the rollout up) and a definition to approve for it. */
function definition(h: H, maId: string, over: Partial<RolloutDefinition> = {}): RolloutDefinition {
	const made = h.services.rollouts.create(maId, h.system, {
		name: `Retire ${newId()}`,
		target: { kind: 'filter', filter: 'tag == lobby' },
		steps: { operations: [{ kind: 'Remove', componentId: APP }], consentMode: 'silent', intent: 'retire the app' },
		phases: [{ name: 'all', size: { kind: 'rest' }, success: { percent: 100, then: 'advance' }, error: { percent: 50, then: 'pause' }, refusal: { percent: 50, then: 'continue' } }]
	});
	if (!made.ok) throw new Error(made.error.message);
	return {
		v: 1,
		maId,
		rolloutId: made.value.id,
		nonce: b64u(randomBytes(18)),
		operations: [envelopeOperation(sha256, { kind: 'Remove', componentId: APP, version: null }, null)],
		consentMode: 'silent',
		intent: 'retire the app',
		notAfter: h.time.now + 30 * DAY,
		target: 'tag==lobby',
		maxDevices: 50,
		...over
	};
}

/** What the rollouts service does per phase: the batch's rows persisted, not yet signed. */
function rolloutRows(h: H, maId: string, deviceIds: string[], steps: { kind: string; componentId: string | null }[] = [{ kind: 'Remove', componentId: APP }], intent = 'retire the app') {
	const batchId = newId();
	const now = h.time.now;
	const rows: OperationRow[] = deviceIds.flatMap((deviceId) =>
		steps.map((s, seq) => ({
			id: newId(),
			correlator: b64u(randomBytes(12)),
			maId,
			deviceId,
			batchId,
			seq,
			kind: s.kind,
			componentId: s.componentId,
			packageVersionId: null,
			targetVersion: null,
			consentMode: 'silent',
			intent,
			status: 'queued',
			downloadStatus: null,
			resultCode: null,
			resultMessage: null,
			createdBy: 'system:rollouts',
			createdAt: now,
			deliveredAt: null,
			completedAt: null,
			expiresAt: now + DAY,
			cancelRequestedAt: null
		}))
	);
	h.db.transaction((tx) => {
		batchesRepo.insertBatch(tx, { id: batchId, maId, consentMode: 'silent', intent, createdBy: 'system:rollouts', createdAt: now });
		opsRepo.insertOperations(tx, rows);
	});
	return { batchId, rows };
}

/** The device side: the command verifier the agent and the PWA run, with the MA's statement pinned at enrollment. */
async function deviceVerifier(h: H, maId: string, deviceId: string) {
	const store = new MemoryStateStore();
	const identity: Identity = {
		deviceId,
		serverUrl: h.config.origin,
		baselineBuildId: 'base-1',
		info: { manufacturer: 'M', model: 'X', baselineBuildId: 'base-1', softwareVersion: '1' },
		mas: [{ maId, name: 'Acme', trust: h.services.signing.trust.current(maId).statement }]
	};
	store.identity = identity;
	const keeper = await LedgerKeeper.load(store);
	return new CommandVerifier({
		identity: async () => (await store.readIdentity())!,
		saveIdentity: (i) => store.writeIdentity(i),
		ledger: () => keeper.ledger,
		clock: { now: () => h.time.now }
	});
}

async function approved(h: H, maId: string, admin: ReturnType<typeof adminWithPasskey>, def: RolloutDefinition): Promise<AdminApproval> {
	const r = h.services.signing.rolloutApprovals;
	const opts = r.options(maId, admin.adminId, def.rolloutId, def, 'admin:someone-else');
	if (!opts.ok) throw new Error(opts.error.message);
	const out = await r.approve(maId, admin.actor, def.rolloutId, def, 'admin:someone-else', admin.authenticator.assert({ challenge: opts.value.challenge, rpId: 'localhost' }));
	if (!out.ok) throw new Error(out.error.message);
	return out.value;
}

describe('rollout approvals: approved once over the definition', () => {
	it('says which rollouts need a passkey: a high-risk kind, or up to more devices than the fan-out threshold', () => {
		const { h, maId } = fleet(1);
		const r = h.services.signing.rolloutApprovals;
		// No approving passkey yet: nothing can be bound to one.
		expect(r.needsApproval(maId, definition(h, maId), 1)).toBe(false);
		adminWithPasskey(h, maId);
		expect(r.needsApproval(maId, definition(h, maId), 1)).toBe(true);
		const inventory = [envelopeOperation(sha256, { kind: 'Inventory', componentId: null, version: null }, null)];
		expect(r.needsApproval(maId, definition(h, maId, { operations: inventory, maxDevices: 100 }), 10)).toBe(false);
		// The fan-out counts what the rollout may reach (maxDevices), not only the devices targeted today.
		expect(r.needsApproval(maId, definition(h, maId, { operations: inventory, maxDevices: 101 }), 10)).toBe(true);
		expect(r.needsApproval(maId, definition(h, maId, { operations: inventory, maxDevices: 10 }), 101)).toBe(true);
	});

	it('options carry the definition’s digest for the administrator’s trusted passkeys; the policy and four eyes decide who', async () => {
		const { h, maId } = fleet(1);
		const owner = adminWithPasskey(h, maId);
		const r = h.services.signing.rolloutApprovals;
		const def = definition(h, maId);
		const opts = r.options(maId, owner.adminId, def.rolloutId, def, 'system:rollouts');
		expect(opts).toMatchObject({ ok: true, value: { challenge: rolloutApprovalChallenge(sha256, def), rpId: 'localhost', userVerification: 'required' } });
		expect(opts.ok && opts.value.allowCredentials.map((c) => c.id)).toEqual([b64u(owner.authenticator.credentials[0]!.id)]);

		const viewer = adminWithPasskey(h, maId, 'viewer');
		const outsider = adminWithPasskey(h, h.maWithDevice().maId, 'owner');
		expect(r.options(maId, viewer.adminId, def.rolloutId, def, 'system:rollouts')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
		expect(r.options(maId, outsider.adminId, def.rolloutId, def, 'system:rollouts')).toMatchObject({ ok: false, error: { code: 'not_found' } });
		for (const who of [viewer, outsider]) {
			const own = who.authenticator.assert({ challenge: rolloutApprovalChallenge(sha256, def), rpId: 'localhost' });
			expect((await r.approve(maId, who.actor, def.rolloutId, def, 'system:rollouts', own)).ok).toBe(false);
		}
		// A definition of another MA, or one already past notAfter, is refused before any passkey is asked.
		expect(r.options(maId, owner.adminId, def.rolloutId, { ...def, maId: newId() }, 'system:rollouts')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
		const ended = { ...def, notAfter: h.time.now };
		expect(r.options(maId, owner.adminId, def.rolloutId, ended, 'system:rollouts')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });

		// Four eyes: under the 'fanout' default, whoever created a rollout above the threshold may not approve it.
		const big = definition(h, maId, { maxDevices: 500 });
		expect(r.options(maId, owner.adminId, big.rolloutId, big, `admin:${owner.adminId}`)).toMatchObject({ ok: false, error: { code: 'four_eyes_required' } });
		const mine = owner.authenticator.assert({ challenge: rolloutApprovalChallenge(sha256, big), rpId: 'localhost' });
		expect(await r.approve(maId, owner.actor, big.rolloutId, big, `admin:${owner.adminId}`, mine)).toMatchObject({ ok: false, error: { code: 'four_eyes_required' } });
		expect(r.options(maId, owner.adminId, def.rolloutId, def, `admin:${owner.adminId}`).ok).toBe(true);
	});

	it('verifies the assertion over the definition, moves the counter and audits; a batch approval or another definition does not count', async () => {
		const { h, maId } = fleet(1);
		const owner = adminWithPasskey(h, maId);
		const r = h.services.signing.rolloutApprovals;
		const def = definition(h, maId);
		// An assertion over a batch-approval challenge or another definition is not this rollout's approval.
		const wrong = [
			owner.authenticator.assert({ challenge: rolloutApprovalChallenge(sha256, { ...def, maxDevices: 5000 }), rpId: 'localhost' }),
			owner.authenticator.assert({ challenge: b64u(sha256(Buffer.from(`scomo-approval:v1:x`))), rpId: 'localhost' })
		];
		for (const response of wrong) {
			expect(await r.approve(maId, owner.actor, def.rolloutId, def, 'system:rollouts', response)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
		}
		const response = owner.authenticator.assert({ challenge: rolloutApprovalChallenge(sha256, def), rpId: 'localhost' });
		const out = await r.approve(maId, owner.actor, def.rolloutId, def, 'system:rollouts', response);
		expect(out).toMatchObject({ ok: true, value: { credentialId: response.id, signature: response.response.signature } });
		const stored = h.db.select().from(passkeys).all().find((p) => p.id === response.id)!;
		expect(stored.counter).toBe(owner.authenticator.credentials[0]!.signCount);
		const audits = h.db.select().from(auditEvents).all().filter((a) => a.action === 'rollout.approve');
		expect(audits.map((a) => [a.targetId, a.outcome])).toEqual([
			[def.rolloutId, 'denied'],
			[def.rolloutId, 'denied'],
			[def.rolloutId, 'ok']
		]);
		// The approval is returned, not stored: no batch was signed or relayed by approving.
		expect(h.db.select().from(batchEnvelopes).all()).toEqual([]);
		expect(h.relay.sent).toEqual([]);
	});
});

describe('batches of an approved rollout', () => {
	it('are signed with the definition, stored approved, relayed at once, and the device’s verifier runs them', async () => {
		const { h, maId, devices } = fleet(4);
		const owner = adminWithPasskey(h, maId);
		const def = definition(h, maId);
		const approval = await approved(h, maId, owner, def);
		const verifiers = new Map(await Promise.all(devices.map(async (d) => [d, await deviceVerifier(h, maId, d)] as const)));

		// Phase 1 to two devices, phase 2 (later, another batch) to the other two: one approval for both.
		for (const phase of [devices.slice(0, 2), devices.slice(2)]) {
			const { batchId, rows } = rolloutRows(h, maId, phase);
			expect(h.services.signing.prepareBatch(batchId, rows, { definition: def, approval })).toEqual({ ok: true, value: { approval: 'approved' } });
			expect(h.services.signing.approvals.pending(maId)).toEqual([]);
			await h.services.operations.relayBatch(batchId);
			await settle();
			h.time.now += 60_000;
		}
		expect(h.relay.sent.map((s) => s.deviceId).sort()).toEqual([...devices].sort());
		for (const { deviceId, set } of h.relay.sent) {
			expect(set.envelope!.header.rollout).toEqual(def);
			expect(set.envelope!.approval).toEqual(approval);
			// What travels passes the wire contract the device validates (the definition is part of the header schema).
			expect(v.safeParse(CommandSet, structuredClone(set)).success).toBe(true);
			const verdict = await verifiers.get(deviceId)!.verify(structuredClone(set));
			expect([...verdict.rejected.values()]).toEqual([]);
		}
		// The control: the same set without the passkey assertion is an unapproved high-risk batch to the device.
		const bare = structuredClone(h.relay.sent[0]!);
		bare.set.envelope!.approval = null;
		const refused = await (await deviceVerifier(h, maId, bare.deviceId)).verify(bare.set);
		expect([...refused.rejected.values()].map((v) => v.code)).toEqual(bare.set.operations.map(() => RC.ApprovalInvalid));
		// Without the rollout the same steps would have waited for a per-batch approval.
		const plain = h.services.operations.create(maId, h.system, { deviceIds: devices.slice(0, 1), operations: [{ kind: 'Remove', componentId: APP }], consentMode: 'silent', intent: '' });
		expect(plain.ok && plain.value.approval).toBe('pending');
	});

	it('a batch that does not stay within the definition is refused, nothing signed; the device refuses a definition swapped in transit (1453)', async () => {
		const { h, maId, devices } = fleet(2);
		const owner = adminWithPasskey(h, maId);
		const def = definition(h, maId, { maxDevices: 2 });
		const approval = await approved(h, maId, owner, def);
		const refusals = [
			rolloutRows(h, maId, devices, [{ kind: 'Start', componentId: APP }]),
			rolloutRows(h, maId, devices, [{ kind: 'Remove', componentId: APP }, { kind: 'Start', componentId: APP }]),
			rolloutRows(h, maId, devices, [{ kind: 'Remove', componentId: APP }], 'another intent')
		];
		// The header names the first device's steps; another device given other steps would be refused by it.
		const mixed = rolloutRows(h, maId, devices);
		const [a, b] = [...devices].sort();
		mixed.rows = mixed.rows.map((r) => (r.deviceId === b && a !== b ? { ...r, kind: 'Start' } : r));
		refusals.push(mixed);
		for (const { batchId, rows } of refusals) {
			expect(h.services.signing.prepareBatch(batchId, rows, { definition: def, approval })).toMatchObject({ ok: false, error: { code: 'conflict' } });
		}
		// Past notAfter the rows outlive the approval.
		const late = rolloutRows(h, maId, devices);
		const short = definition(h, maId, { notAfter: h.time.now + 1000 });
		const shortApproval = await approved(h, maId, owner, short);
		expect(h.services.signing.prepareBatch(late.batchId, late.rows, { definition: short, approval: shortApproval })).toMatchObject({ ok: false, error: { code: 'conflict' } });
		// Another definition's approval, or a batch-style assertion, is refused before signing.
		const other = definition(h, maId);
		const otherApproval = await approved(h, maId, owner, other);
		expect(h.services.signing.prepareBatch(late.batchId, late.rows, { definition: def, approval: otherApproval })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
		// A genuine batch approval (over a pending batch's header) is not a rollout approval either.
		const held = h.services.operations.create(maId, h.system, { deviceIds: devices, operations: [{ kind: 'Remove', componentId: APP }], consentMode: 'silent', intent: 'retire the app' });
		const pendingHeader = h.services.signing.approvals.pending(maId).find((p) => held.ok && p.batchId === held.value.batchId)!.header;
		const batchStyle = owner.authenticator.assert({ challenge: approvalChallenge(sha256, pendingHeader), rpId: 'localhost' });
		const asApproval: AdminApproval = { credentialId: batchStyle.id, authenticatorData: batchStyle.response.authenticatorData, clientDataJSON: batchStyle.response.clientDataJSON, signature: batchStyle.response.signature };
		expect(h.services.signing.prepareBatch(late.batchId, late.rows, { definition: def, approval: asApproval })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
		expect(h.db.select().from(batchEnvelopes).all().map((e) => e.batchId)).toEqual([held.ok ? held.value.batchId : '']);

		// A valid batch; then the header's definition swapped in transit (a wider one): the device refuses it.
		const good = rolloutRows(h, maId, devices);
		expect(h.services.signing.prepareBatch(good.batchId, good.rows, { definition: def, approval }).ok).toBe(true);
		await h.services.operations.relayBatch(good.batchId);
		const sent = h.relay.sent[0]!;
		const verifier = await deviceVerifier(h, maId, sent.deviceId);
		expect([...(await verifier.verify(structuredClone(sent.set))).rejected.values()]).toEqual([]);
		const forged = structuredClone(sent.set);
		forged.envelope!.header.rollout = { ...def, maxDevices: 10_000 };
		const verdict = await verifier.verify(forged);
		// The MA signature covers the header, definition included: a relay cannot swap it.
		expect([...verdict.rejected.values()].map((v) => v.code)).toEqual([RC.SignatureInvalid]);
	});

	it('signing the same batch again with its definition answers as before; with another definition it is a conflict', async () => {
		const { h, maId, devices } = fleet(1);
		const owner = adminWithPasskey(h, maId);
		const def = definition(h, maId);
		const approval = await approved(h, maId, owner, def);
		const { batchId, rows } = rolloutRows(h, maId, devices);
		expect(h.services.signing.prepareBatch(batchId, rows, { definition: def, approval }).ok).toBe(true);
		expect(h.services.signing.prepareBatch(batchId, rows, { definition: def, approval })).toEqual({ ok: true, value: { approval: 'approved' } });
		expect(h.services.signing.prepareBatch(batchId, rows, { definition: { ...def, nonce: 'b3RoZXI' }, approval })).toMatchObject({ ok: false, error: { code: 'conflict' } });
	});
});
