/**
 * Hostile commands against the REAL headless agent (SCOMO-SEC-01, SEC-02): an in-process server (so the
 * test can sign with the MA's real key, or forge) and a real agent process. Forged, wrongly addressed,
 * wrong-MA, expired, replayed and reordered command sets are all refused with their codes and never
 * executed: the agent's inventory stays as it was and the component never starts. A passkey-bound Remove
 * reaches the device only with the administrator's assertion; the same Remove signed by the server key
 * alone is refused (1463). Results are signed by the device key. Key rotation reaches the agent signed by
 * the old key. A revoked device loses its socket at once and is refused afterwards.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import type { CommandSetMsg } from '../../src/lib/contract';
import { RC, type OperationKind } from '../../src/lib/core';
import { approvalChallenge, envelopeMessage, leafBytes, resultMessage, type BatchHeader, type EnvelopeLeaf } from '../../src/lib/core/envelope';
import { merkleLevels, merkleProof, merkleRootOf } from '../../src/lib/core/merkle';
import { sha256 } from '../../src/lib/core/merkle-sha256';
import { insertAdmin, insertMembership, insertPasskey } from '../../src/lib/server/auth/accounts';
import { newId } from '../../src/lib/server/ids';
import { startTestServer, newMa, type TestServer } from '../support/test-server';
import { agentInventory, examplePackage, startAgent, type AgentProcess } from '../support/agent-process';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { TestDevice } from '../support/test-device';
import { createTokenAsync } from '../support/admin-cli';
import type { ApiClient } from '../support/api-client';

const CLOCK = 'com.example.clock';
const b64u = (b: Uint8Array | Buffer) => Buffer.from(b).toString('base64url');
const terminal = (s: string) => ['completed', 'failed', 'expired', 'cancelled'].includes(s);

let server: TestServer;
let acme: ReturnType<typeof newMa>;
let other: ReturnType<typeof newMa>;
let agent: AgentProcess;
let deviceId: string;

const signing = () => server.ctx.services.signing;
const fakeCorrelator = () => `hostile-${randomBytes(9).toString('base64url')}`;

type Op = { kind: OperationKind; componentId: string | null; version: string | null };

/**
 * A command set built and signed here exactly as the server signs batches, with knobs to make it hostile.
 * `sign` is the MA's real key by default.
 */
function craft(opts: {
	ops: Op[];
	maId?: string;
	signAs?: string;
	for?: string;
	devices?: string[];
	expiresAt?: number;
	nonce?: string;
	correlators?: string[];
	forge?: boolean;
	approve?: (header: BatchHeader) => NonNullable<CommandSetMsg['envelope']>['approval'];
}): CommandSetMsg {
	const maId = opts.maId ?? acme.maId;
	const target = opts.for ?? deviceId;
	const devices = [...new Set([target, ...(opts.devices ?? [newId()])])].sort();
	const leaves: EnvelopeLeaf[] = devices.map((d) => ({
		deviceId: d,
		correlators: d === target && opts.correlators ? opts.correlators : opts.ops.map(() => fakeCorrelator())
	}));
	const levels = merkleLevels(sha256, leaves.map(leafBytes));
	const now = Date.now();
	const header: BatchHeader = {
		v: 1,
		maId,
		maName: maId === acme.maId ? 'Acme' : 'Other',
		batchId: newId(),
		nonce: opts.nonce ?? b64u(randomBytes(18)),
		issuedAt: now,
		expiresAt: opts.expiresAt ?? now + 3600_000,
		consentMode: 'silent',
		intent: 'hostile test',
		operations: opts.ops.map((o) => ({ ...o, package: null })),
		root: b64u(merkleRootOf(levels)),
		leafCount: leaves.length
	};
	const index = leaves.findIndex((l) => l.deviceId === target);
	const leaf = leaves[index]!;
	// The MA's real key (or another MA's, with signAs); a forger signs with a fresh key under the real key ID.
	let { keyId, signature } = signing().keys.signCurrent(opts.signAs ?? maId, envelopeMessage(header));
	if (opts.forge) {
		const { privateKey } = generateKeyPairSync('ed25519');
		signature = sign(null, Buffer.from(envelopeMessage(header)), privateKey).toString('base64url');
	}
	return {
		batchId: header.batchId,
		maId,
		maName: header.maName,
		consentMode: header.consentMode,
		intent: header.intent,
		issuedAt: header.issuedAt,
		expiresAt: header.expiresAt,
		operations: opts.ops.map((o, i) => ({ correlator: leaf.correlators[i]!, kind: o.kind, componentId: o.componentId, version: o.version, package: null })),
		envelope: {
			header,
			keyId,
			signature,
			leaf,
			index,
			proof: merkleProof(levels, index).map(b64u),
			approval: opts.approve?.(header) ?? null
		},
		trust: signing().trust.current(maId)
	};
}

const start: Op = { kind: 'Start', componentId: CLOCK, version: null };
const stop: Op = { kind: 'Stop', componentId: CLOCK, version: null };
const remove: Op = { kind: 'Remove', componentId: CLOCK, version: null };

/** Sends a set to the agent through the real /device namespace and waits for its verdict on every operation. */
async function send(set: CommandSetMsg) {
	const mark = agent.mark();
	const accepted = await server.ctx.relay.sendCommands(deviceId, set);
	expect(accepted).not.toBeNull();
	return mark;
}

/** The agent refused every operation of `set` with `code`: reported it, ran nothing, changed nothing. */
async function expectRefused(set: CommandSetMsg, code: number) {
	const before = agentInventory(agent, acme.maId);
	// Stable: every earlier operation waited for its set to leave the journal (runOp).
	const journalBefore = agent.ledger().journal.length;
	const mark = await send(set);
	for (const op of set.operations) {
		await agent.waitAfter(mark, (e) => e.event === 'command-rejected' && e.code === code && (e.correlators as string[]).includes(op.correlator), `${code} for ${op.correlator}`);
		await agent.waitAfter(mark, (e) => e.event === 'result-sent' && e.correlator === op.correlator, `the ${code} result of ${op.correlator} to be sent`);
		// A refusal of an unverified set (1453, 1456) is reported and dropped, never kept as the correlator's
		// result (it must not answer for a genuine set); the other refusals are the correlator's result.
		const stored = agent.ledger().results[op.correlator];
		if (code === RC.SignatureInvalid || code === RC.WrongDevice) expect(stored).toBeUndefined();
		else expect(stored?.result.resultCode).toBe(code);
	}
	await agent.waitAfter(mark, (e) => e.event === 'commands', 'the set to be handled');
	expect(agent.events.slice(mark).some((e) => e.event === 'component-log')).toBe(false);
	expect(agent.events.slice(mark).some((e) => e.event === 'operation')).toBe(false);
	expect(agentInventory(agent, acme.maId)).toEqual(before);
	const journaled = agent.ledger().journal.flatMap((e) => e.set.operations.map((o) => o.correlator));
	expect(journaled.filter((c) => set.operations.some((o) => o.correlator === c))).toEqual([]);
	expect(journaled).toHaveLength(journalBefore);
}

async function runOp(api: ApiClient, op: Op) {
	const created = await api.createOperations({ deviceIds: [deviceId], operations: [{ kind: op.kind, componentId: op.componentId ?? undefined }], consentMode: 'silent', intent: 'security test' });
	expect(created.status).toBe(202);
	const correlator = created.body.operations[0]!.correlator;
	const done = await api.waitForOperation(correlator, (o) => terminal(o.status));
	// The server has the result before the agent drops the set from its journal: wait for the agent too.
	await agent.waitSetFinished(correlator);
	return done;
}

/** Brings the clock to installed and stopped (whatever an earlier test left), so each test runs alone. */
async function clockInstalledAndStopped() {
	const clock = agentInventory(agent, acme.maId).find((c) => c.componentId === CLOCK);
	if (!clock) expect(await runOp(acme.api, { kind: 'DownloadInstall', componentId: CLOCK, version: null })).toMatchObject({ resultCode: 1200 });
	else if (clock.operational === 'Running') expect(await runOp(acme.api, stop)).toMatchObject({ resultCode: 1200 });
	expect(agentInventory(agent, acme.maId)).toEqual([{ componentId: CLOCK, stage: 'deployed', version: '1.0.0', state: 'Active', operational: 'Stopped' }]);
}

beforeAll(async () => {
	server = await startTestServer();
	acme = newMa(server, 'Acme');
	other = newMa(server, 'Other');
	const p = examplePackage(CLOCK, '1.0.0');
	expect((await acme.api.uploadPackage(p.manifest, p.bundle)).status).toBe(201);
	const code = (await acme.api.createEnrollmentCode()).body.code;
	agent = startAgent({ server: server.url, enroll: code, consent: { default: 'accept' } });
	deviceId = String((await agent.waitEvent('enrolled')).deviceId);
	await agent.waitEvent('connected');
	// The agent pinned Acme's key at enrollment.
	expect(agent.identity().mas[0]!.trust?.keys.map((k) => k.keyId)).toEqual([signing().keys.current(acme.maId).id]);
	const installed = await acme.api.createOperations({ deviceIds: [deviceId], operations: [{ kind: 'DownloadInstall', componentId: CLOCK }] });
	const op = await acme.api.waitForOperation(installed.body.operations[0]!.correlator, (o) => terminal(o.status));
	expect(op).toMatchObject({ status: 'completed', resultCode: 1200 });
	await agent.waitSetFinished(op.correlator);
	expect(agentInventory(agent, acme.maId)).toEqual([{ componentId: CLOCK, stage: 'deployed', version: '1.0.0', state: 'Active', operational: 'Stopped' }]);
});

afterAll(async () => {
	await agent?.kill();
	await server?.close();
});

describe('hostile commands against the real agent: refused with their codes, never executed', () => {
	it('a genuine signed command runs (the control case)', async () => {
		await clockInstalledAndStopped();
		expect(await runOp(acme.api, start)).toMatchObject({ status: 'completed', resultCode: 1200 });
		expect(await runOp(acme.api, stop)).toMatchObject({ status: 'completed', resultCode: 1200 });
	});

	it('forged signature: 1453', async () => {
		await expectRefused(craft({ ops: [start], forge: true }), RC.SignatureInvalid);
	});

	it('a forged set under a genuine correlator is refused (1453) without shadowing the genuine set, which then runs', async () => {
		const correlator = fakeCorrelator();
		const forged = craft({ ops: [start], correlators: [correlator], forge: true });
		await expectRefused(forged, RC.SignatureInvalid);
		expect(agent.ledger().results[correlator]).toBeUndefined();
		const genuine = craft({ ops: [start], correlators: [correlator] });
		const mark = await send(genuine);
		const ran = await agent.waitAfter(mark, (e) => e.event === 'operation' && e.correlator === correlator, 'the genuine set to run');
		expect(ran.resultCode).toBe(RC.Successful);
		expect(agent.ledger().results[correlator]!.result.resultCode).toBe(RC.Successful);
		expect(agentInventory(agent, acme.maId)[0]).toMatchObject({ operational: 'Running' });
		expect(await runOp(acme.api, stop)).toMatchObject({ status: 'completed', resultCode: 1200 });
	});

	it('unsigned command set: 1453', async () => {
		const { envelope: _none, ...unsigned } = craft({ ops: [start] });
		await expectRefused(unsigned as CommandSetMsg, RC.SignatureInvalid);
	});

	it('an operation altered after signing: 1453', async () => {
		const set = craft({ ops: [stop] });
		set.operations[0]!.kind = 'Start';
		await expectRefused(set, RC.SignatureInvalid);
	});

	it('reordered operations: 1453', async () => {
		const set = craft({ ops: [start, stop] });
		set.operations.reverse();
		await expectRefused(set, RC.SignatureInvalid);
	});

	it('wrong device: a command signed for another device is 1456', async () => {
		await expectRefused(craft({ ops: [start], for: newId() }), RC.WrongDevice);
	});

	it('wrong MA: an MA the device is not enrolled with is 1456; another MA’s signature under this MA’s name is 1453', async () => {
		await expectRefused(craft({ ops: [start], maId: other.maId }), RC.WrongDevice);
		await expectRefused(craft({ ops: [start], signAs: other.maId }), RC.SignatureInvalid);
	});

	it('expired: 1454', async () => {
		await expectRefused(craft({ ops: [start], expiresAt: Date.now() - 1000 }), RC.CommandExpired);
	});

	it('replayed: a re-delivery of the same signed set only repeats the stored result; another envelope reusing its correlator or nonce is 1455', async () => {
		await clockInstalledAndStopped();
		const captured: CommandSetMsg[] = [];
		const relay = server.ctx.relay;
		const original = relay.sendCommands.bind(relay);
		relay.sendCommands = (id, set) => {
			captured.push(set);
			return original(id, set);
		};
		let done: Awaited<ReturnType<typeof runOp>>;
		try {
			done = await runOp(acme.api, start);
		} finally {
			relay.sendCommands = original;
		}
		expect(done).toMatchObject({ status: 'completed', resultCode: 1200 });
		const correlator = done.correlator;
		const genuine = captured.find((s) => s.operations.some((o) => o.correlator === correlator))!;
		expect(genuine.envelope).toBeDefined();

		// The same signed set again (what a reconnect does): the stored result is sent again, nothing runs.
		const again = await send(genuine);
		await agent.waitAfter(again, (e) => e.event === 'result-sent' && e.correlator === done.correlator, 'the stored result to be sent again');
		expect(agent.events.slice(again).some((e) => e.event === 'command-rejected' || e.event === 'component-log' || e.event === 'operation')).toBe(false);

		// A new envelope reusing the processed correlator: 1455, the stored result stays 1200, nothing runs.
		const mark = await send(craft({ ops: [stop], correlators: [done.correlator] }));
		await agent.waitAfter(mark, (e) => e.event === 'command-rejected' && e.code === RC.CommandReplayed, 'the replay to be refused');
		expect(agent.ledger().results[done.correlator]!.result.resultCode).toBe(1200);
		expect(agent.events.slice(mark).some((e) => e.event === 'operation' || e.event === 'component-log')).toBe(false);
		expect(agentInventory(agent, acme.maId)[0]).toMatchObject({ operational: 'Running' });

		// A new operation under the genuine envelope's nonce with other content: 1455.
		await expectRefused(craft({ ops: [stop], nonce: genuine.envelope!.header.nonce }), RC.CommandReplayed);
		expect(await runOp(acme.api, stop)).toMatchObject({ status: 'completed', resultCode: 1200 });
	});
});

describe('passkey-bound operations (SCOMO-SEC-02)', () => {
	let authenticator: SoftAuthenticator;
	let adminId: string;

	beforeAll(() => {
		// An owner of Acme with an ES256 passkey (a software authenticator speaking real WebAuthn bytes).
		authenticator = new SoftAuthenticator(server.url);
		authenticator.register({ challenge: b64u(randomBytes(32)), rp: { id: 'localhost' }, user: { id: b64u(randomBytes(16)) } });
		const cred = authenticator.credentials[0]!;
		adminId = newId();
		const db = server.ctx.store.db;
		const now = Date.now();
		insertAdmin(db, { id: adminId, displayName: 'Owner', userHandle: cred.userHandle }, now);
		insertPasskey(db, adminId, { id: b64u(cred.id), publicKey: b64u(cred.cosePublicKey), counter: 0, transports: ['internal'], deviceType: 'singleDevice', backedUp: false }, 'Soft key', now);
		insertMembership(db, adminId, acme.maId, 'owner', now);
		signing().trust.invalidate(acme.maId);
	});

	it('the same Remove signed by the server key alone is refused on the device (1463)', async () => {
		await expectRefused(craft({ ops: [remove] }), RC.ApprovalInvalid);
		// An assertion by a passkey the MA never certified does not help either.
		const stranger = new SoftAuthenticator(server.url);
		stranger.register({ challenge: b64u(randomBytes(32)), rp: { id: 'localhost' }, user: { id: b64u(randomBytes(16)) } });
		const set = craft({ ops: [remove], approve: (h) => approvalFrom(stranger, h) });
		await expectRefused(set, RC.ApprovalInvalid);
	});

	it('a Remove is persisted but not relayed until the administrator’s passkey approves it; then it runs', async () => {
		await clockInstalledAndStopped();
		const created = await acme.api.createOperations({ deviceIds: [deviceId], operations: [{ kind: 'Remove', componentId: CLOCK }], intent: 'retire the clock' });
		expect(created.status).toBe(202);
		expect(created.body).toMatchObject({ approval: 'pending' });
		const correlator = created.body.operations[0]!.correlator;
		// Even an explicit delivery round does not send it.
		const mark = agent.mark();
		await server.ctx.services.operations.deliverOpen(deviceId);
		expect(agent.events.slice(mark).some((e) => e.event === 'commands' && (e.correlators as string[]).includes(correlator))).toBe(false);
		expect((await acme.api.getOperation(correlator)).body.status).toBe('queued');
		expect(agentInventory(agent, acme.maId)).toHaveLength(1);

		// The approval: the challenge is the batch digest; the server verifies, stores and relays.
		const approvals = signing().approvals;
		const options = approvals.options(acme.maId, adminId, created.body.batchId);
		expect(options.ok).toBe(true);
		if (!options.ok) return;
		const pending = approvals.pendingOne(acme.maId, created.body.batchId);
		expect(pending.ok && options.value.challenge === approvalChallenge(sha256, pending.value.header)).toBe(true);
		// A wrong assertion (over another challenge) is refused by the server too.
		const wrong = authenticator.assert({ challenge: b64u(randomBytes(32)), rpId: 'localhost' });
		expect((await approvals.approve(acme.maId, { type: 'admin', id: adminId }, created.body.batchId, wrong)).ok).toBe(false);
		const response = authenticator.assert({ challenge: options.value.challenge, rpId: 'localhost' });
		const approved = await approvals.approve(acme.maId, { type: 'admin', id: adminId }, created.body.batchId, response);
		expect(approved.ok).toBe(true);
		await server.ctx.services.operations.relayBatch(created.body.batchId);
		const done = await acme.api.waitForOperation(correlator, (o) => terminal(o.status));
		expect(done).toMatchObject({ status: 'completed', resultCode: 1200 });
		await agent.waitSetFinished(correlator);
		expect(agentInventory(agent, acme.maId)).toEqual([]);
		// The device learned the approving credential from the MA's statement.
		expect(agent.identity().mas[0]!.trust?.credentials.map((c) => c.credentialId)).toContain(response.id);
	});
});

/** The assertion a passkey makes over a header's approval challenge, as an AdminApproval. */
function approvalFrom(a: SoftAuthenticator, header: BatchHeader) {
	const r = a.assert({ challenge: approvalChallenge(sha256, header), rpId: 'localhost' });
	return { credentialId: r.id, authenticatorData: r.response.authenticatorData, clientDataJSON: r.response.clientDataJSON, signature: r.response.signature };
}

describe('key rotation (SCOMO-SEC-01)', () => {
	it('the agent takes the new key from a statement the old key signed, and runs commands signed with it', async () => {
		await clockInstalledAndStopped();
		const before = signing().keys.current(acme.maId).id;
		const rotated = signing().rotate(acme.maId, { type: 'system', id: 'test' }, 3600_000);
		expect(rotated.keyId).not.toBe(before);
		const mark = agent.mark();
		expect(await runOp(acme.api, start)).toMatchObject({ status: 'completed', resultCode: 1200 });
		await agent.waitAfter(mark, (e) => e.event === 'trust-updated', 'the new trust statement');
		const keys = agent.identity().mas[0]!.trust!.keys;
		expect(keys.map((k) => k.keyId).sort()).toEqual([before, rotated.keyId].sort());
		expect(keys.find((k) => k.keyId === before)!.validUntil).toBe(rotated.retiring.validUntil);
		expect(await runOp(acme.api, stop)).toMatchObject({ status: 'completed', resultCode: 1200 });
		const keysApi = await acme.api.request<{ items: { keyId: string; validUntil: number | null }[] }>('GET', '/api/v1/signing-keys');
		expect(keysApi.status).toBe(200);
		expect(keysApi.body.items.find((k) => k.validUntil === null)?.keyId).toBe(rotated.keyId);
		// Rotating is an owner's job: an operate token may not.
		expect((await acme.api.request('POST', '/api/v1/signing-keys/rotate')).status).toBe(403);
	});
});

describe('device results are signed by the device key (SCOMO-SEC-02)', () => {
	it('the server records only results with a valid device signature', async () => {
		const d = new TestDevice(server.url);
		const code = (await acme.api.createEnrollmentCode()).body.code;
		expect((await d.enroll(code)).status).toBe(201);
		expect((await d.connect()).ok).toBe(true);
		const created = await acme.api.createOperations({ deviceIds: [d.deviceId!], operations: [{ kind: 'Inventory' }] });
		const correlator = created.body.operations[0]!.correlator;
		await d.waitForCommands(1);
		expect(await d.result(correlator, 1200, { signature: undefined })).toMatchObject({ ok: false, code: 'device_auth_failed' });
		expect(await d.result(correlator, 1200, { signature: d.sign('something else') })).toMatchObject({ ok: false, code: 'device_auth_failed' });
		// Another key cannot report for this device, even over the exact result.
		const imposter = new TestDevice(server.url);
		const payload = { correlator, resultCode: 1200, message: '', componentId: null, entry: null, completedAt: Date.now(), inventory: [] };
		expect(await d.emit('result', { ...payload, signature: imposter.sign(resultMessage(d.deviceId!, payload)) })).toMatchObject({
			ok: false,
			code: 'device_auth_failed'
		});
		expect((await acme.api.getOperation(correlator)).body.status).not.toBe('completed');
		expect(await d.result(correlator, 1200, { inventory: [] })).toMatchObject({ ok: true, duplicate: false });
		expect((await acme.api.getOperation(correlator)).body).toMatchObject({ status: 'completed', resultCode: 1200 });
		d.close();
	});
});

describe('revocation (SCOMO-SEC-02)', () => {
	it('only the device’s own MAs, with operate rights, may revoke it', async () => {
		const read = server.api((await createTokenAsync(server.dataDir, acme.maId, 'read')).token);
		expect((await read.request('POST', `/api/v1/devices/${deviceId}/revoke`)).status).toBe(403);
		expect((await other.api.request('POST', `/api/v1/devices/${deviceId}/revoke`)).status).toBe(404);
		expect(server.ctx.relay.isOnline(deviceId)).toBe(true);
	});

	it('a revoked device loses its socket at once and is refused when it comes back', async () => {
		const mark = agent.mark();
		const r = await acme.api.request<{ deviceRevoked: boolean }>('POST', `/api/v1/devices/${deviceId}/revoke`);
		expect(r.status).toBe(200);
		expect(r.body).toMatchObject({ deviceId, deviceRevoked: true });
		// Disconnected by the server, not by a timeout.
		await agent.waitAfter(mark, (e) => e.event === 'disconnected' && e.reason === 'io server disconnect', 'the server to drop the agent');
		expect(server.ctx.relay.isOnline(deviceId)).toBe(false);
		await agent.waitAfter(mark, (e) => e.event === 'auth-failed' && e.code === 'device_unknown', 'the reconnect to be refused');
		expect(server.ctx.relay.isOnline(deviceId)).toBe(false);
		expect((await acme.api.getDevice(deviceId)).status).toBe(404);
		// Re-enrolling with the same key is refused too.
		await agent.kill();
		const code = (await acme.api.createEnrollmentCode()).body.code;
		const again = startAgent({ server: server.url, dataDir: agent.dataDir, enroll: code });
		const failed = await again.waitEvent('enroll-failed');
		expect(failed).toMatchObject({ code: 'device_unknown' });
		await again.kill();
	});
});
