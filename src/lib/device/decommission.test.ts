/**
 * Decommission on the device (issue #17): only a decommission the MA key signed, for this device and the
 * enrollment it holds, erases anything; then exactly that MA's components (running ones stopped), journal,
 * results, trust and choice go, the other MA's stay, the user is told, and the ack names what was erased.
 */
import { describe, it, expect } from 'vitest';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { DecommissionMsg, Manifest } from '../contract';
import { decommissionMessage } from '../core/decommission';
import type { TrustStatement } from '../core/envelope';
import { DeviceRuntime } from './runtime';
import { componentKey } from './component-key';
import { MemoryPackageStore, MemoryRunner, MemoryStateStore, ScriptedConsent } from './memory-adapters';
import type { InventoryItem, JournalEntry, Signer } from './ports';
import type { RuntimeEvent } from './events';

const DEVICE = '0190a000-0000-7000-8000-0000000000d1';
const ACME = '0190a000-0000-7000-8000-000000000001';
const OTHER = '0190a000-0000-7000-8000-000000000002';
const KEY_ID = '0190a000-0000-7000-8000-00000000000a';
const OTHER_KEY_ID = '0190a000-0000-7000-8000-00000000000b';
const ENROLLED_AT = 1_700_000_000_000;
const signer: Signer = { publicKey: 'AAAA', sign: async () => 'sig' };

type Pair = { publicKey: KeyObject; privateKey: KeyObject };
const rawPublic = (k: KeyObject) => (k.export({ format: 'jwk' }) as { x: string }).x;
const acmeKey: Pair = generateKeyPairSync('ed25519');
const otherKey: Pair = generateKeyPairSync('ed25519');

const trust = (maId: string, keyId: string, k: Pair) =>
	({ v: 1, maId, seq: 1, issuedAt: 0, keys: [{ keyId, publicKey: rawPublic(k.publicKey), validUntil: null }], policy: { kinds: [], fanout: 1000 }, credentials: [], rp: { rpId: 'x', origin: 'http://x' } }) as unknown as TrustStatement;

const manifest = (id: string): Manifest => ({ id, name: `Name of ${id}`, version: '1.0.0', description: '', permissions: [], compatibleBaselines: ['*'], entry: 'main.js' });
const item = (maId: string, id: string): InventoryItem => ({
	maId,
	component: { stage: 'deployed', componentId: id, version: '1.0.0', state: 'Active', operational: 'Running' },
	manifest: manifest(id),
	sha256: '0'.repeat(64)
});
const journal = (maId: string, correlator: string): JournalEntry => ({
	set: { batchId: null, maId, maName: 'x', consentMode: 'confirm', intent: '', issuedAt: 0, expiresAt: Number.MAX_SAFE_INTEGER, operations: [{ correlator, kind: 'Inventory', componentId: null, version: null, package: null }] },
	receivedAt: 0,
	consent: 'pending'
});

function decommission(over: Partial<DecommissionMsg> = {}, key: Pair = acmeKey): DecommissionMsg {
	const body = { maId: ACME, deviceId: DEVICE, enrolledAt: ENROLLED_AT, nonce: '0190a000-0000-7000-8000-0000000000f1', issuedAt: ENROLLED_AT + 1000, ...over };
	const signature = sign(null, Buffer.from(decommissionMessage(body)), key.privateKey).toString('base64url');
	return { keyId: KEY_ID, signature, ...body, ...(over.keyId ? { keyId: over.keyId } : {}), ...(over.signature ? { signature: over.signature } : {}) };
}

async function device() {
	const store = new MemoryStateStore();
	store.identity = {
		deviceId: DEVICE,
		serverUrl: 'http://localhost:1',
		baselineBuildId: 'b',
		info: { manufacturer: 'M', model: 'X', baselineBuildId: 'b', softwareVersion: '1' },
		mas: [
			{ maId: ACME, name: 'Acme', trust: trust(ACME, KEY_ID, acmeKey), enrolledAt: ENROLLED_AT },
			{ maId: OTHER, name: 'Other', trust: trust(OTHER, OTHER_KEY_ID, otherKey), enrolledAt: ENROLLED_AT }
		]
	};
	store.ledger.inventory = [item(ACME, 'com.a.clock'), item(ACME, 'com.a.idle'), item(OTHER, 'com.a.clock')];
	// Not a prompt in flight: the journal holds the sets, nobody kicks the executor in these tests.
	store.ledger.journal = [journal(ACME, '0190a000-0000-7000-8000-0000000000c1'), journal(OTHER, '0190a000-0000-7000-8000-0000000000c2')];
	store.ledger.results = {
		'0190a000-0000-7000-8000-0000000000c3': { maId: ACME, acked: false, result: { correlator: '0190a000-0000-7000-8000-0000000000c3', resultCode: 1200, message: '', componentId: null, entry: null, completedAt: 1 } },
		'0190a000-0000-7000-8000-0000000000c4': { maId: OTHER, acked: false, result: { correlator: '0190a000-0000-7000-8000-0000000000c4', resultCode: 1200, message: '', componentId: null, entry: null, completedAt: 1 } }
	};
	store.choices = { [ACME]: 'allow', [OTHER]: 'allow' };
	const packages = new MemoryPackageStore();
	for (const i of store.ledger.inventory) await packages.put(componentKey(i.maId, i.component.componentId), '1.0.0', new TextEncoder().encode('ok'));
	const runner = new MemoryRunner();
	await runner.start(componentKey(ACME, 'com.a.clock'), 'ok', manifest('com.a.clock'));
	await runner.start(componentKey(OTHER, 'com.a.clock'), 'ok', manifest('com.a.clock'));
	const consent = new ScriptedConsent();
	const events: RuntimeEvent[] = [];
	const runtime = (await DeviceRuntime.open({ store, packages, runner, consent, signer, emit: (e) => events.push(e) }))!;
	const snapshot = () => JSON.stringify({ identity: store.identity, ledger: store.ledger, choices: store.choices });
	return { store, packages, runner, consent, events, runtime, snapshot };
}

describe('decommission on the device', () => {
	it('erases exactly the MA’s components (running ones stopped), journal, results, trust and choice; tells the user; acks', async () => {
		const d = await device();
		const ack = await d.runtime.decommission(decommission());
		expect(ack).toEqual({ ok: true, erased: ['com.a.clock', 'com.a.idle'], held: true });
		expect(d.runner.isRunning(componentKey(ACME, 'com.a.clock'))).toBe(false);
		expect(await d.packages.get(componentKey(ACME, 'com.a.clock'), '1.0.0')).toBeNull();
		expect(await d.packages.get(componentKey(ACME, 'com.a.idle'), '1.0.0')).toBeNull();
		expect(d.store.ledger.inventory.map((i) => i.maId)).toEqual([OTHER]);
		expect(d.store.ledger.journal.map((e) => e.set.maId)).toEqual([OTHER]);
		expect(Object.values(d.store.ledger.results).map((r) => r.maId)).toEqual([OTHER]);
		expect(d.store.identity!.mas.map((m) => m.maId)).toEqual([OTHER]);
		expect(d.store.choices).toEqual({ [OTHER]: 'allow' });
		// The other MA's same-named component still runs, its bundle is still there.
		expect(d.runner.isRunning(componentKey(OTHER, 'com.a.clock'))).toBe(true);
		expect(await d.packages.get(componentKey(OTHER, 'com.a.clock'), '1.0.0')).not.toBeNull();
		expect(d.consent.notices).toContainEqual({ kind: 'decommissioned', maId: ACME, maName: 'Acme', components: ['Name of com.a.clock', 'Name of com.a.idle'] });
		expect(d.events).toContainEqual({ event: 'decommissioned', maId: ACME, maName: 'Acme', erased: ['com.a.clock', 'com.a.idle'], remainingMas: 1 });
	});

	it('answers a second delivery (the first ack was lost) as done, erasing nothing more', async () => {
		const d = await device();
		await d.runtime.decommission(decommission());
		const before = d.snapshot();
		expect(await d.runtime.decommission(decommission())).toEqual({ ok: true, erased: [], held: false });
		expect(d.snapshot()).toBe(before);
	});

	const refusals: [string, () => DecommissionMsg, string][] = [
		['signed by a key the device never pinned', () => decommission({}, generateKeyPairSync('ed25519')), 'forbidden'],
		['signed by another MA’s key (its key ID)', () => decommission({ keyId: OTHER_KEY_ID }, otherKey), 'forbidden'],
		['with a signature over other fields (another nonce)', () => ({ ...decommission(), nonce: '0190a000-0000-7000-8000-0000000000f9' }), 'forbidden'],
		['for another device', () => decommission({ deviceId: '0190a000-0000-7000-8000-0000000000d9' }), 'not_found'],
		['for an earlier enrollment (replayed after a re-enrollment)', () => decommission({ enrolledAt: ENROLLED_AT - 60_000 }), 'conflict']
	];
	it.each(refusals)('erases nothing for a decommission %s', async (_what, make, code) => {
		const d = await device();
		const before = d.snapshot();
		const ack = await d.runtime.decommission(make());
		expect(ack).toMatchObject({ ok: false, code });
		expect(d.snapshot()).toBe(before);
		expect(d.runner.isRunning(componentKey(ACME, 'com.a.clock'))).toBe(true);
		expect(d.consent.notices).toEqual([]);
		expect(d.events.filter((e) => e.event === 'decommissioned')).toEqual([]);
	});

	it('refuses a malformed message', async () => {
		const d = await device();
		expect(await d.runtime.decommission({ maId: ACME })).toMatchObject({ ok: false, code: 'invalid_request' });
	});
});
