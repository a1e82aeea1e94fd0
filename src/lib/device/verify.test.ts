/**
 * Hostile commands against the shared device runtime (SCOMO-SEC-01, SEC-02): the executor with the command
 * verifier, as the agent and the PWA run it, fed command sets signed (or forged) here with real Ed25519 and
 * ES256 keys. Every refused command gets its code as its result and is NEVER executed: the inventory does
 * not change and no component starts.
 */
import { describe, it, expect } from 'vitest';
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { compactSet, expandCompactSet, type CommandSetMsg, type CompactCommandSetMsg, type Manifest, type OperationResultMsg } from '../contract';
import { RC, type OperationKind } from '../core';
import {
	approvalChallenge,
	envelopeMessage,
	envelopeOperation,
	leafBytes,
	trustMessage,
	type AdminApproval,
	type BatchHeader,
	type EnvelopeLeaf,
	type SignedTrust,
	type TrustStatement
} from '../core/envelope';
import { merkleLevels, merkleProof, merkleRootOf } from '../core/merkle';
import { sha256 } from '../core/merkle-sha256';
import { Executor } from './executor';
import { componentKey } from './component-key';
import { LedgerKeeper } from './ledger';
import type { DeviceLink } from './link';
import { MemoryPackageStore, MemoryRunner, MemoryStateStore, ScriptedConsent, digestOnlyPackageKeys } from './memory-adapters';
import type { RuntimeEvent } from './events';
import type { Identity, InventoryItem } from './ports';
import { CommandVerifier, selfSigned } from './verify';
import { grantChallenge, grantOf } from '../core/trust-grant';
import type { TrustLink } from '../core/envelope';
import { rolloutApprovalChallenge, type RolloutDefinition } from '../core/rollout-approval';

const MA = '0190a000-0000-7000-8000-00000000000a';
const OTHER_MA = '0190a000-0000-7000-8000-00000000000b';
const DEVICE = '0190a000-0000-7000-8000-0000000000d1';
const OTHER_DEVICE = '0190a000-0000-7000-8000-0000000000d2';
const APP = 'com.acme.app';
const NOW = 1_800_000_000_000;
const ORIGIN = 'http://localhost:3000';
const b64u = (b: Uint8Array | Buffer) => Buffer.from(b).toString('base64url');
const h = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

const manifest: Manifest = { id: APP, name: 'App', version: '1.0.0', description: '', permissions: [], compatibleBaselines: ['*'], entry: 'main.js' };

function edKey() {
	const { publicKey, privateKey } = generateKeyPairSync('ed25519');
	return {
		keyId: `0190a000-0000-7000-8000-${randomBytes(6).toString('hex')}`,
		publicKey: String(publicKey.export({ format: 'jwk' }).x),
		sign: (m: string) => sign(null, Buffer.from(m), privateKey).toString('base64url')
	};
}
type EdKey = ReturnType<typeof edKey>;

/** An administrator's ES256 passkey, producing assertions as an authenticator does. */
function passkey(origin = ORIGIN) {
	const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
	const jwk = publicKey.export({ format: 'jwk' }) as { x: string; y: string };
	const credentialId = b64u(randomBytes(16));
	return {
		credential: { credentialId, alg: -7 as const, x: jwk.x, y: jwk.y },
		assert(challenge: string, key: KeyObject = privateKey): AdminApproval {
			const authData = Buffer.concat([h('localhost'), Buffer.from([0x05]), Buffer.from([0, 0, 0, 7])]);
			const clientData = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge, origin, crossOrigin: false }));
			const signature = sign('sha256', Buffer.concat([authData, h(clientData)]), key);
			return { credentialId, authenticatorData: b64u(authData), clientDataJSON: b64u(clientData), signature: b64u(signature) };
		}
	};
}

function statement(maId: string, keys: EdKey[], seq: number, credentials: TrustStatement['credentials'] = [], retiring: Record<string, number> = {}): TrustStatement {
	return {
		v: 1,
		maId,
		seq,
		issuedAt: NOW,
		keys: keys.map((k) => ({ keyId: k.keyId, publicKey: k.publicKey, validUntil: retiring[k.keyId] ?? null })),
		policy: { kinds: ['Remove'], fanout: 100 },
		credentials,
		rp: { rpId: 'localhost', origin: ORIGIN }
	};
}
const signTrust = (s: TrustStatement, by: EdKey[]): SignedTrust => ({ statement: s, signatures: by.map((k) => ({ keyId: k.keyId, signature: k.sign(trustMessage(s)) })) });

let counter = 0;
const corr = () => `corr-${String(++counter).padStart(8, '0')}`;

type Op = { kind: OperationKind; componentId: string | null; version: string | null };

/** Signs a batch for several devices (one signature) and returns the command set of one of them. */
function batch(opts: {
	key: EdKey;
	maId?: string;
	ops: Op[];
	devices?: string[];
	for?: string;
	expiresAt?: number;
	nonce?: string;
	correlators?: string[];
	approve?: (header: BatchHeader) => AdminApproval | null;
	/** The staged rollout the batch belongs to (carried in the signed header). */
	rollout?: RolloutDefinition;
}) {
	const maId = opts.maId ?? MA;
	const devices = [...(opts.devices ?? [DEVICE, OTHER_DEVICE])].sort();
	const leaves: EnvelopeLeaf[] = devices.map((d) => ({
		deviceId: d,
		correlators: d === (opts.for ?? DEVICE) && opts.correlators ? opts.correlators : opts.ops.map(() => corr())
	}));
	const levels = merkleLevels(sha256, leaves.map(leafBytes));
	const header: BatchHeader = {
		v: 1,
		maId,
		maName: 'Acme',
		batchId: `0190a000-0000-7000-8000-${randomBytes(6).toString('hex')}`,
		nonce: opts.nonce ?? b64u(randomBytes(18)),
		issuedAt: NOW - 1000,
		expiresAt: opts.expiresAt ?? NOW + 3600_000,
		consentMode: 'silent',
		intent: 'test',
		operations: opts.ops.map((o) => envelopeOperation(sha256, o, null)),
		root: b64u(merkleRootOf(levels)),
		leafCount: leaves.length,
		...(opts.rollout ? { rollout: opts.rollout } : {})
	};
	const index = leaves.findIndex((l) => l.deviceId === (opts.for ?? DEVICE));
	const leaf = leaves[index]!;
	const set: CommandSetMsg = {
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
			keyId: opts.key.keyId,
			signature: opts.key.sign(envelopeMessage(header)),
			leaf,
			index,
			proof: merkleProof(levels, index).map(b64u),
			approval: opts.approve?.(header) ?? null
		}
	};
	return set;
}

const start: Op = { kind: 'Start', componentId: APP, version: null };
const remove: Op = { kind: 'Remove', componentId: APP, version: null };

class RecordingLink implements DeviceLink {
	results: OperationResultMsg[] = [];
	fetchBundle = () => Promise.reject(new Error('no downloads here'));
	sendProgress = async () => {};
	async sendResult(r: OperationResultMsg) {
		this.results.push(r);
		return 'acked' as const;
	}
	sendComponentState = async () => 'acked' as const;
	code(correlator: string) {
		return this.results.filter((r) => r.correlator === correlator).map((r) => r.resultCode);
	}
}

type Device = Awaited<ReturnType<typeof runtimeOver>>;

/**
 * A device runtime (keeper, verifier, executor) over a durable store. `restartOf` starts a NEW runtime over
 * an earlier device's store and packages, as the agent or the PWA does after a restart: nothing in memory
 * survives, only what the store holds (MemoryStateStore keeps copies, never the runtime's objects).
 */
async function device(opts: { trust?: TrustStatement | null; now?: () => number; restartOf?: Device } = {}) {
	if (opts.restartOf) return runtimeOver(opts.restartOf.key, opts.restartOf.store, opts.restartOf.packages, opts.now);
	const key = edKey();
	const store = new MemoryStateStore();
	const identity: Identity = {
		deviceId: DEVICE,
		serverUrl: 'http://localhost:1',
		baselineBuildId: 'base',
		info: { manufacturer: 'M', model: 'X', baselineBuildId: 'base', softwareVersion: '1' },
		mas: [{ maId: MA, name: 'Acme', ...(opts.trust === null ? {} : { trust: opts.trust ?? statement(MA, [key], 1) }) }]
	};
	store.identity = identity;
	const item: InventoryItem = {
		maId: MA,
		component: { stage: 'deployed', componentId: APP, version: '1.0.0', state: 'Active', operational: 'Stopped' },
		manifest,
		sha256: '0'.repeat(64)
	};
	store.ledger.inventory = [item];
	const packages = new MemoryPackageStore();
	await packages.put(componentKey(MA, APP), '1.0.0', new TextEncoder().encode('export default {}'));
	return runtimeOver(key, store, packages, opts.now);
}

async function runtimeOver(key: EdKey, store: MemoryStateStore, packages: MemoryPackageStore, now?: () => number) {
	const runner = new MemoryRunner();
	const link = new RecordingLink();
	const events: RuntimeEvent[] = [];
	const keeper = await LedgerKeeper.load(store);
	const clock = { now: now ?? (() => NOW) };
	const verifier = new CommandVerifier({
		identity: async () => (await store.readIdentity())!,
		saveIdentity: (i) => store.writeIdentity(i),
		ledger: () => keeper.ledger,
		clock,
		emit: (e) => events.push(e)
	});
	const executor = new Executor({
		keeper,
		store,
		packages,
		runner,
		consent: new ScriptedConsent('accept'),
		clock,
		baseline: () => 'base',
		link: () => link,
		emit: (e) => events.push(e),
		verify: (s) => verifier.verify(s),
		packageKeys: digestOnlyPackageKeys
	});
	/** Delivers a set as the connection does: receive (verify, journal), then run, then wait. */
	async function deliver(set: unknown) {
		const ack = await executor.receive(structuredClone(set));
		executor.kick();
		await executor.idle();
		return ack;
	}
	const inventory = () => JSON.stringify(store.ledger.inventory);
	return { key, store, packages, runner, link, events, deliver, inventory, keeper };
}

/** The device refused every operation of `set` with `code`, ran nothing and changed nothing. */
async function expectRefused(d: Device, set: CommandSetMsg, code: number) {
	const before = d.inventory();
	const ack = await d.deliver(set);
	expect(ack).toMatchObject({ ok: true });
	for (const op of set.operations) expect(d.link.code(op.correlator)).toEqual([code]);
	expect(d.runner.started).toEqual([]);
	expect(d.inventory()).toBe(before);
	expect(d.store.ledger.journal).toEqual([]);
	expect(d.events.some((e) => e.event === 'command-rejected' && e.code === code)).toBe(true);
}

describe('command verification on the device (shared by the agent and the PWA)', () => {
	it('runs a genuine signed command (one signature for the whole fan-out, a Merkle proof per device)', async () => {
		const d = await device();
		const set = batch({ key: d.key, ops: [start], devices: [DEVICE, OTHER_DEVICE, '0190a000-0000-7000-8000-0000000000d3'] });
		await d.deliver(set);
		expect(d.link.code(set.operations[0]!.correlator)).toEqual([RC.Successful]);
		expect(d.runner.started).toEqual([componentKey(MA, APP)]);
	});

	it('refuses an unsigned command (1453)', async () => {
		const d = await device();
		const { envelope: _none, ...unsigned } = batch({ key: d.key, ops: [start] });
		await expectRefused(d, unsigned as CommandSetMsg, RC.SignatureInvalid);
	});

	it('refuses a forged signature: signed by a key the device did not pin (1453)', async () => {
		const d = await device();
		const forger = edKey();
		await expectRefused(d, batch({ key: { ...forger, keyId: d.key.keyId }, ops: [start] }), RC.SignatureInvalid);
	});

	it('refuses a command whose operation was changed after signing (1453)', async () => {
		const d = await device();
		const set = batch({ key: d.key, ops: [start] });
		set.operations[0]!.kind = 'Remove';
		await expectRefused(d, set, RC.SignatureInvalid);
	});

	it('refuses reordered operations (1453)', async () => {
		const d = await device();
		const set = batch({ key: d.key, ops: [start, { kind: 'Stop', componentId: APP, version: null }] });
		set.operations.reverse();
		await expectRefused(d, set, RC.SignatureInvalid);
	});

	it('refuses a command signed for another device (1456), and a leaf swapped in without a valid proof (1453)', async () => {
		const d = await device();
		await expectRefused(d, batch({ key: d.key, ops: [start], for: OTHER_DEVICE }), RC.WrongDevice);
		const forged = batch({ key: d.key, ops: [start], for: OTHER_DEVICE });
		forged.envelope!.leaf = { ...forged.envelope!.leaf, deviceId: DEVICE };
		await expectRefused(d, forged, RC.SignatureInvalid);
	});

	it('refuses a command of an MA this device is not enrolled with (1456), and another MA’s signed header (1453)', async () => {
		const d = await device();
		const other = edKey();
		await expectRefused(d, batch({ key: other, maId: OTHER_MA, ops: [start] }), RC.WrongDevice);
		const crossed = batch({ key: other, maId: OTHER_MA, ops: [start] });
		crossed.maId = MA;
		await expectRefused(d, crossed, RC.SignatureInvalid);
	});

	it('refuses an expired command (1454)', async () => {
		const d = await device();
		await expectRefused(d, batch({ key: d.key, ops: [start], expiresAt: NOW - 1 }), RC.CommandExpired);
	});

	it('answers a re-delivery of the same signed set with the stored result, never running it twice', async () => {
		const d = await device();
		const set = batch({ key: d.key, ops: [start] });
		await d.deliver(set);
		await d.deliver(set);
		expect(d.link.code(set.operations[0]!.correlator)).toEqual([RC.Successful, RC.Successful]);
		expect(d.runner.started).toEqual([componentKey(MA, APP)]);
		expect(d.events.some((e) => e.event === 'command-rejected')).toBe(false);
	});

	it('refuses a replay: another signed envelope reusing a processed correlator, or a used nonce (1455)', async () => {
		const d = await device();
		const first = batch({ key: d.key, ops: [start] });
		await d.deliver(first);
		const correlator = first.operations[0]!.correlator;
		// Same correlator under a new envelope: refused, and the stored result is kept as it was.
		const replay = batch({ key: d.key, ops: [{ kind: 'Stop', componentId: APP, version: null }], correlators: [correlator] });
		await d.deliver(replay);
		expect(d.link.code(correlator)).toEqual([RC.Successful]);
		expect(d.keeper.result(correlator)?.result.resultCode).toBe(RC.Successful);
		expect(d.events).toContainEqual(expect.objectContaining({ event: 'command-rejected', code: RC.CommandReplayed, correlators: [correlator] }));
		expect(d.runner.running.has(componentKey(MA, APP))).toBe(true); // the Stop never ran
		// A fresh correlator under a used nonce with other content: refused with 1455 as its result.
		const reused = batch({ key: d.key, ops: [{ kind: 'Stop', componentId: APP, version: null }], nonce: first.envelope!.header.nonce });
		const before = d.inventory();
		await d.deliver(reused);
		expect(d.link.code(reused.operations[0]!.correlator)).toEqual([RC.CommandReplayed]);
		expect(d.inventory()).toBe(before);
		expect(d.runner.running.has(componentKey(MA, APP))).toBe(true);
	});

	it('the replay window survives a restart (it lives in the ledger)', async () => {
		const d = await device();
		const first = batch({ key: d.key, ops: [start] });
		await d.deliver(first);
		expect(d.link.code(first.operations[0]!.correlator)).toEqual([RC.Successful]);
		// A new runtime over the same store: only what was committed is there.
		const restarted = await device({ restartOf: d });
		expect(restarted.keeper).not.toBe(d.keeper);
		// Another envelope under the used nonce, with a correlator the device has never seen: only the
		// persisted nonce window can refuse it.
		await expectRefused(restarted, batch({ key: d.key, ops: [remove], nonce: first.envelope!.header.nonce }), RC.CommandReplayed);
		// And an envelope reusing the processed correlator under a fresh nonce: refused, the stored result of
		// the operation that ran stays as it was, nothing runs.
		const ran = first.operations[0]!.correlator;
		const before = restarted.inventory();
		await restarted.deliver(batch({ key: d.key, ops: [remove], correlators: [ran] }));
		expect(restarted.events.some((e) => e.event === 'command-rejected' && e.code === RC.CommandReplayed && e.correlators.includes(ran))).toBe(true);
		expect(restarted.keeper.result(ran)?.result.resultCode).toBe(RC.Successful);
		expect(restarted.runner.started).toEqual([]);
		expect(restarted.inventory()).toBe(before);
	});

	describe('passkey-bound operations (high-risk: Remove by default)', () => {
		it('refuses a Remove signed by the MA key alone (1463) and runs it with the administrator’s assertion', async () => {
			const admin = passkey();
			const key = edKey();
			const d = await device({ trust: statement(MA, [key], 1, [admin.credential]) });
			d.key.sign = key.sign;
			d.key.keyId = key.keyId;
			await expectRefused(d, batch({ key, ops: [remove] }), RC.ApprovalInvalid);
			const approved = batch({ key, ops: [remove], approve: (hd) => admin.assert(approvalChallenge(sha256, hd)) });
			await d.deliver(approved);
			expect(d.link.code(approved.operations[0]!.correlator)).toEqual([RC.Successful]);
			expect(d.store.ledger.inventory).toEqual([]);
		});

		it('refuses an approval over another batch, by an uncertified passkey, or with a bad signature (1463)', async () => {
			const admin = passkey();
			const stranger = passkey();
			const key = edKey();
			const d = await device({ trust: statement(MA, [key], 1, [admin.credential]) });
			const otherHeader = batch({ key, ops: [remove] }).envelope!.header;
			await expectRefused(d, batch({ key, ops: [remove], approve: () => admin.assert(approvalChallenge(sha256, otherHeader)) }), RC.ApprovalInvalid);
			await expectRefused(d, batch({ key, ops: [remove], approve: (hd) => stranger.assert(approvalChallenge(sha256, hd)) }), RC.ApprovalInvalid);
			const { privateKey: wrong } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
			await expectRefused(d, batch({ key, ops: [remove], approve: (hd) => admin.assert(approvalChallenge(sha256, hd), wrong) }), RC.ApprovalInvalid);
			const wrongOrigin = passkey('http://evil.example');
			const d2 = await device({ trust: statement(MA, [key], 1, [wrongOrigin.credential]) });
			await expectRefused(d2, batch({ key, ops: [remove], approve: (hd) => wrongOrigin.assert(approvalChallenge(sha256, hd)) }), RC.ApprovalInvalid);
		});

		it('a fan-out above the MA’s threshold needs an approval too', async () => {
			const admin = passkey();
			const key = edKey();
			const trust = { ...statement(MA, [key], 1, [admin.credential]), policy: { kinds: [], fanout: 2 } };
			const d = await device({ trust });
			const devices = [DEVICE, OTHER_DEVICE, '0190a000-0000-7000-8000-0000000000d3'];
			await expectRefused(d, batch({ key, ops: [start], devices }), RC.ApprovalInvalid);
			const ok = batch({ key, ops: [start], devices, approve: (hd) => admin.assert(approvalChallenge(sha256, hd)) });
			await d.deliver(ok);
			expect(d.link.code(ok.operations[0]!.correlator)).toEqual([RC.Successful]);
		});
	});

	describe('staged rollouts approved once over their definition (issue #17)', () => {
		const definition = (over: Partial<RolloutDefinition> = {}): RolloutDefinition => ({
			v: 1,
			maId: MA,
			rolloutId: '0190a000-0000-7000-8000-0000000000f1',
			nonce: b64u(randomBytes(18)),
			operations: [envelopeOperation(sha256, remove, null)],
			consentMode: 'silent',
			intent: 'test',
			notAfter: NOW + 7200_000,
			target: 'tag==lobby',
			maxDevices: 10,
			...over
		});
		async function approver(policy: TrustStatement['policy'] = { kinds: ['Remove'], fanout: 100 }) {
			const admin = passkey();
			const key = edKey();
			const d = await device({ trust: { ...statement(MA, [key], 1, [admin.credential]), policy } });
			return { admin, key, d };
		}

		it('runs a high-risk batch of a rollout the passkey approved once, in as many batches as the rollout needs', async () => {
			const { admin, key, d } = await approver({ kinds: ['Inventory'], fanout: 100 });
			const def = definition({ operations: [envelopeOperation(sha256, { kind: 'Inventory', componentId: null, version: null }, null)] });
			const approval = admin.assert(rolloutApprovalChallenge(sha256, def));
			// Two phases, two batches, two nonces: one approval.
			for (const devices of [[DEVICE], [DEVICE, OTHER_DEVICE]]) {
				const set = batch({ key, ops: [{ kind: 'Inventory', componentId: null, version: null }], devices, rollout: def, approve: () => approval });
				await d.deliver(set);
				expect(d.link.code(set.operations[0]!.correlator)).toEqual([RC.Successful]);
			}
			// Without the approval the same rollout batch is refused as any unapproved high-risk batch.
			await expectRefused(d, batch({ key, ops: [{ kind: 'Inventory', componentId: null, version: null }], rollout: def }), RC.ApprovalInvalid);
		});

		it('runs a rollout’s Remove with the rollout approval', async () => {
			const { admin, key, d } = await approver();
			const def = definition();
			const set = batch({ key, ops: [remove], rollout: def, approve: () => admin.assert(rolloutApprovalChallenge(sha256, def)) });
			await d.deliver(set);
			expect(d.link.code(set.operations[0]!.correlator)).toEqual([RC.Successful]);
			expect(d.store.ledger.inventory).toEqual([]);
		});

		it('refuses (1463) a tampered definition, other steps, another MA, a batch past notAfter, an uncertified passkey, too many devices', async () => {
			const { admin, key, d } = await approver();
			const def = definition();
			const approved = admin.assert(rolloutApprovalChallenge(sha256, def));
			const stranger = passkey();
			const refusals: [string, CommandSetMsg][] = [
				// The MA key (or the server) widens the definition after the passkey signed it.
				['tampered definition', batch({ key, ops: [remove], rollout: { ...def, notAfter: def.notAfter + 86_400_000 }, approve: () => approved })],
				['tampered target', batch({ key, ops: [remove], rollout: { ...def, maxDevices: 10_000 }, approve: () => approved })],
				// The definition is intact but the batch runs something else under it.
				['reordered operations', batch({ key, ops: [start, remove], rollout: def, approve: () => approved })],
				['an added operation', batch({ key, ops: [remove, start], rollout: def, approve: () => approved })],
				['another component', batch({ key, ops: [{ ...remove, componentId: 'com.acme.other' }], rollout: def, approve: () => approved })]
			];
			const otherMa = definition({ maId: OTHER_MA });
			refusals.push(['another MA', batch({ key, ops: [remove], rollout: otherMa, approve: () => admin.assert(rolloutApprovalChallenge(sha256, otherMa)) })]);
			const ended = definition({ notAfter: NOW - 1 });
			refusals.push(['valid after notAfter', batch({ key, ops: [remove], rollout: ended, approve: () => admin.assert(rolloutApprovalChallenge(sha256, ended)) })]);
			const otherIntent = definition({ intent: 'something else' });
			refusals.push(['another intent', batch({ key, ops: [remove], rollout: otherIntent, approve: () => admin.assert(rolloutApprovalChallenge(sha256, otherIntent)) })]);
			refusals.push(['an uncertified passkey', batch({ key, ops: [remove], rollout: def, approve: () => stranger.assert(rolloutApprovalChallenge(sha256, def)) })]);
			const one = definition({ maxDevices: 1 });
			refusals.push(['more devices than the rollout', batch({ key, ops: [remove], rollout: one, approve: () => admin.assert(rolloutApprovalChallenge(sha256, one)) })]);
			for (const [why, set] of refusals) {
				const ack = await d.deliver(set);
				expect(ack, why).toMatchObject({ ok: true });
				expect(d.link.code(set.operations[0]!.correlator), why).toEqual([RC.ApprovalInvalid]);
			}
			expect(d.runner.started).toEqual([]);
			expect(d.store.ledger.inventory).toHaveLength(1);
			expect(d.store.ledger.journal).toEqual([]);
			// A batch that is not high-risk on its own (a Start) needs no passkey, rollout or not: the MA key suffices.
			const start1 = batch({ key, ops: [start], rollout: def });
			await d.deliver(start1);
			expect(d.link.code(start1.operations[0]!.correlator)).toEqual([RC.Successful]);
		});

		it('a batch approval never approves a rollout batch, and a rollout approval never approves a plain batch (1463)', async () => {
			const { admin, key, d } = await approver();
			const def = definition();
			// The administrator's genuine assertion over this very header (with the definition in it) is a batch approval.
			await expectRefused(d, batch({ key, ops: [remove], rollout: def, approve: (hd) => admin.assert(approvalChallenge(sha256, hd)) }), RC.ApprovalInvalid);
			await expectRefused(d, batch({ key, ops: [remove], approve: () => admin.assert(rolloutApprovalChallenge(sha256, def)) }), RC.ApprovalInvalid);
			// The header of a batch without a rollout, presented as a definition, is not one: its challenge differs.
			const plain = batch({ key, ops: [remove] });
			await expectRefused(d, batch({ key, ops: [remove], rollout: def, approve: () => admin.assert(approvalChallenge(sha256, plain.envelope!.header)) }), RC.ApprovalInvalid);
		});
	});

	describe('key rotation', () => {
		it('takes a new key from a statement the pinned key signed, then accepts commands signed by it', async () => {
			const d = await device();
			const next = edKey();
			const rotated = statement(MA, [d.key, next], 2, [], { [d.key.keyId]: NOW + 60_000 });
			const set = batch({ key: next, ops: [start] });
			set.trust = signTrust(rotated, [d.key, next]);
			await d.deliver(set);
			expect(d.link.code(set.operations[0]!.correlator)).toEqual([RC.Successful]);
			expect(d.store.identity!.mas[0]!.trust!.seq).toBe(2);
		});

		it('ignores a statement no pinned key signed (a forged new key gets nowhere)', async () => {
			const d = await device();
			const forged = edKey();
			const set = batch({ key: forged, ops: [start] });
			set.trust = signTrust(statement(MA, [forged], 2), [forged]);
			await expectRefused(d, set, RC.SignatureInvalid);
			expect(d.store.identity!.mas[0]!.trust!.seq).toBe(1);
		});

		it('refuses commands signed by a rotated key after its overlap ended (1453)', async () => {
			const old = edKey();
			const next = edKey();
			const d = await device({ trust: statement(MA, [old, next], 2, [], { [old.keyId]: NOW - 1 }) });
			await expectRefused(d, batch({ key: old, ops: [start] }), RC.SignatureInvalid);
		});
	});

	describe('the device is the enforcer: approvers and policy change only with a trusted passkey (H1)', () => {
		/** A device that pinned `admin` as its MA's only approver, with the Remove-is-high-risk policy. */
		async function guarded() {
			const admin = passkey();
			const key = edKey();
			const d = await device({ trust: statement(MA, [key], 1, [admin.credential]) });
			return { d, admin, key };
		}
		const link = (signer: ReturnType<typeof passkey>, next: TrustStatement): TrustLink => {
			const grant = { ...grantOf(next), epoch: next.epoch! };
			return { grant, approval: signer.assert(grantChallenge(sha256, grant)) };
		};
		const refusedTrust = (d: Awaited<ReturnType<typeof device>>) => d.events.filter((e) => e.event === 'trust-refused');

		it('refuses a statement signed by the MA key that weakens the policy, empties or swaps the approvers; a Remove still needs the pinned passkey (1463)', async () => {
			const { d, admin, key } = await guarded();
			const rogue = passkey();
			const attacks: TrustStatement[] = [
				{ ...statement(MA, [key], 2, [admin.credential]), policy: { kinds: [], fanout: 100 } },
				{ ...statement(MA, [key], 3, [admin.credential]), policy: { kinds: ['Remove'], fanout: 100_000 } },
				statement(MA, [key], 4, []),
				statement(MA, [key], 5, [rogue.credential]),
				statement(MA, [key], 6, [admin.credential, rogue.credential]),
				{ ...statement(MA, [key], 7, [admin.credential]), rp: { rpId: 'evil.example', origin: 'https://evil.example' } }
			];
			for (const weakened of attacks) {
				const set = batch({ key, ops: [remove], approve: (hd) => rogue.assert(approvalChallenge(sha256, hd)) });
				set.trust = signTrust(weakened, [key]);
				await expectRefused(d, set, RC.ApprovalInvalid);
				d.events.length = 0;
				d.link.results.length = 0;
			}
			expect(d.store.identity!.mas[0]!.trust).toMatchObject({ seq: 1, credentials: [admin.credential], policy: { kinds: ['Remove'], fanout: 100 } });
			// A link signed by the rogue passkey (not one the device trusts) does not help either.
			const withRogueLink = { ...statement(MA, [key], 8, [rogue.credential]), epoch: 1 };
			const set = batch({ key, ops: [remove] });
			set.trust = { ...signTrust(withRogueLink, [key]), links: [link(rogue, withRogueLink)] };
			await expectRefused(d, set, RC.ApprovalInvalid);
			expect(refusedTrust(d)[0]).toMatchObject({ seq: 8, reason: expect.stringContaining('not approved by a passkey this device trusts') });
			expect(d.store.identity!.mas[0]!.trust!.seq).toBe(1);
		});

		it('takes a stricter policy or a key rotation without an approval', async () => {
			const { d, admin, key } = await guarded();
			const stricter = { ...statement(MA, [key], 2, [admin.credential]), policy: { kinds: ['Remove' as const, 'Stop' as const], fanout: 10 } };
			const set = batch({ key, ops: [start] });
			set.trust = signTrust(stricter, [key]);
			await d.deliver(set);
			expect(d.link.code(set.operations[0]!.correlator)).toEqual([RC.Successful]);
			expect(d.store.identity!.mas[0]!.trust).toMatchObject({ seq: 2, policy: { kinds: ['Remove', 'Stop'], fanout: 10 } });
		});

		it('takes a change co-signed by a pinned passkey, and walks a chain of approvals it missed', async () => {
			const { d, admin, key } = await guarded();
			const second = passkey();
			const third = passkey();
			// Epoch 1: the admin adds a second passkey; epoch 2: that passkey swaps the admin for a third and drops Remove.
			const e1 = { ...statement(MA, [key], 2, [admin.credential, second.credential]), epoch: 1 };
			const e2 = { ...statement(MA, [key], 3, [second.credential, third.credential]), policy: { kinds: [], fanout: 100 }, epoch: 2 };
			const set = batch({ key, ops: [remove] });
			set.trust = { ...signTrust(e2, [key]), links: [link(second, e2), link(admin, e1)] };
			await d.deliver(set);
			// The change is approved, so the statement is taken, and under its policy a Remove needs no approval.
			expect(d.store.identity!.mas[0]!.trust).toMatchObject({ seq: 3, epoch: 2, credentials: [second.credential, third.credential] });
			expect(d.link.code(set.operations[0]!.correlator)).toEqual([RC.Successful]);
			expect(refusedTrust(d)).toEqual([]);
		});

		it('refuses a rollback to an older approved grant, and a claimed epoch no approval reaches', async () => {
			const { d, admin, key } = await guarded();
			const weak = { ...statement(MA, [key], 2, [admin.credential]), policy: { kinds: [], fanout: 100 }, epoch: 1 };
			const strict = { ...statement(MA, [key], 3, [admin.credential]), epoch: 1 };
			const oldLink = link(admin, weak);
			const first = batch({ key, ops: [start] });
			first.trust = { ...signTrust(weak, [key]), links: [oldLink] };
			await d.deliver(first);
			const second = batch({ key, ops: [start] });
			second.trust = { ...signTrust(strict, [key]), links: [oldLink] };
			await d.deliver(second);
			expect(d.store.identity!.mas[0]!.trust).toMatchObject({ seq: 3, epoch: 1, policy: { kinds: ['Remove'] } });
			// The old approval again, under a newer seq: the device is past epoch 1, so it weakens without approval.
			const rollback = { ...weak, seq: 4 };
			const set = batch({ key, ops: [remove] });
			set.trust = { ...signTrust(rollback, [key]), links: [oldLink] };
			await d.deliver(set);
			expect(d.link.code(set.operations[0]!.correlator)).toEqual([RC.ApprovalInvalid]);
			expect(d.store.ledger.inventory).toHaveLength(1);
			const claimed = { ...statement(MA, [key], 5, [admin.credential]), policy: { kinds: [], fanout: 100 }, epoch: 9 };
			const set2 = batch({ key, ops: [start] });
			set2.trust = signTrust(claimed, [key]);
			await d.deliver(set2);
			expect(d.store.identity!.mas[0]!.trust!.seq).toBe(3);
			expect(refusedTrust(d).map((e) => e.seq)).toEqual([4, 5]);
		});

		it('an MA with no approver pinned yet takes its first passkeys (trust on first use)', async () => {
			const d = await device();
			const admin = passkey();
			const set = batch({ key: d.key, ops: [start] });
			set.trust = signTrust(statement(MA, [d.key], 2, [admin.credential]), [d.key]);
			await d.deliver(set);
			expect(d.store.identity!.mas[0]!.trust!.credentials).toEqual([admin.credential]);
		});
	});

	it('refuses everything when no key was pinned for the MA (1453)', async () => {
		const d = await device({ trust: null });
		await expectRefused(d, batch({ key: d.key, ops: [start] }), RC.SignatureInvalid);
	});

	it('selfSigned: an enrollment statement must be signed by one of its own keys', async () => {
		const k = edKey();
		expect(await selfSigned(signTrust(statement(MA, [k], 1), [k]), NOW)).toBe(true);
		expect(await selfSigned(signTrust(statement(MA, [k], 1), [edKey()]), NOW)).toBe(false);
	});
});

describe('ordering', () => {
	it('takes sets one at a time in arrival order although verification is asynchronous (a Stop never overtakes its Start)', async () => {
		const d = await device();
		const first = batch({ key: d.key, ops: [start] });
		// The first set also carries a trust update, so its verification takes longer than the second's.
		first.trust = signTrust(statement(MA, [d.key, edKey()], 2), [d.key]);
		const second = batch({ key: d.key, ops: [{ kind: 'Stop', componentId: APP, version: null }] });
		const sent = d.deliver(first);
		await d.deliver(second);
		await sent;
		expect(d.link.code(first.operations[0]!.correlator)).toEqual([RC.Successful]);
		expect(d.link.code(second.operations[0]!.correlator)).toEqual([RC.Successful]);
	});
});

describe('compact command sets (issue #15): rebuilt by the device, then verified like any set', () => {
	const rebuilt = (c: CompactCommandSetMsg, deviceId: string) => expandCompactSet(structuredClone(c), deviceId)!;

	it('runs a compact set of a genuine batch, and still takes the full form', async () => {
		const d = await device();
		const set = batch({ key: d.key, ops: [start], devices: [DEVICE, OTHER_DEVICE, '0190a000-0000-7000-8000-0000000000d3'] });
		const compact = compactSet(set, DEVICE)!;
		expect(JSON.stringify(compact)).not.toContain(DEVICE);
		expect(rebuilt(compact, DEVICE)).toEqual(set);
		await d.deliver(rebuilt(compact, DEVICE));
		expect(d.link.code(set.operations[0]!.correlator)).toEqual([RC.Successful]);
		const full = batch({ key: d.key, ops: [{ kind: 'Stop', componentId: APP, version: null }] });
		await d.deliver(full);
		expect(d.link.code(full.operations[0]!.correlator)).toEqual([RC.Successful]);
	});

	it('refuses a compact set meant for another device (its proof does not hold for this ID), and an altered header (1453)', async () => {
		const d = await device();
		// A relay that compacts another device's set (a server never does: compactSet is lossless for its recipient).
		const theirs = compactSet(batch({ key: d.key, ops: [start], for: OTHER_DEVICE }), OTHER_DEVICE)!;
		await expectRefused(d, rebuilt(theirs, DEVICE), RC.SignatureInvalid);
		const altered = compactSet(batch({ key: d.key, ops: [start] }), DEVICE)!;
		altered.envelope.header = { ...altered.envelope.header, operations: [{ ...altered.envelope.header.operations[0]!, kind: 'Remove' }] };
		await expectRefused(d, rebuilt(altered, DEVICE), RC.SignatureInvalid);
	});

	it('carries a re-delivered part of a batch by position; positions that do not fit the header stand for no set', async () => {
		const d = await device();
		const set = batch({ key: d.key, ops: [start, { kind: 'Stop', componentId: APP, version: null }] });
		const second = { ...set, operations: [set.operations[1]!] };
		const compact = compactSet(second, DEVICE)!;
		expect(compact.only).toEqual([1]);
		expect(rebuilt(compact, DEVICE)).toEqual(second);
		expect(expandCompactSet({ ...compact, only: [2] }, DEVICE)).toBeNull();
		expect(expandCompactSet({ ...compact, only: [1, 0] }, DEVICE)).toBeNull();
		expect(expandCompactSet({ ...compact, packages: [null, null] }, DEVICE)).toBeNull();
		// Top-level fields that are not the header's have no compact form: the set goes full and is refused as it is.
		expect(compactSet({ ...set, intent: 'something else' }, DEVICE)).toBeNull();
		// Lossless or nothing: operations out of the signed order, or a set addressed to another device, go full so
		// the device judges exactly what the relay was given (1453, 1456), not a tidied-up copy.
		expect(compactSet({ ...set, operations: [...set.operations].reverse() }, DEVICE)).toBeNull();
		expect(compactSet(set, OTHER_DEVICE)).toBeNull();
	});
});
