/**
 * In-browser checks of the PWA's adapters (run by /device/selftest, and by the e2e tests through it): the
 * IndexedDB stores, the non-extractable device key and the component sandbox. They use their own database
 * ('scomo-device-selftest'), so running them never touches the device's real identity or data.
 */
import { deleteDB } from 'idb';
import type { Manifest } from '../contract';
import { emptyLedger, verifyEd25519, type Identity, type RunnerStateChange } from '../device';
import { loadOrCreateSigner, storedDeviceKey } from './browser-signer';
import { openDeviceDb } from './db';
import { IndexedDbPackageStore } from './indexeddb-package-store';
import { IndexedDbStateStore } from './indexeddb-state-store';
import { SandboxRunner } from './sandbox-runner';

export const SELF_TEST_DB = 'scomo-device-selftest';

export type CheckResult = { name: string; ok: boolean; detail: string };

const manifest = (id: string, permissions: Manifest['permissions'] = []): Manifest => ({
	id,
	name: id,
	version: '1.0.0',
	description: '',
	permissions,
	compatibleBaselines: ['*'],
	entry: 'main.js'
});

function assert(cond: unknown, message: string): asserts cond {
	if (!cond) throw new Error(message);
}

const wait = <T>(p: Promise<T>, ms: number, what: string) =>
	Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`${what}: no answer within ${ms} ms`)), ms))]);

/** A promise and the function that resolves it: a callback of the runner signals, the check awaits. */
function signal(): { seen: Promise<void>; fire: () => void } {
	let fire!: () => void;
	const seen = new Promise<void>((resolve) => (fire = resolve));
	return { seen, fire };
}

async function stateStoreSurvivesReopen(): Promise<string> {
	const identity: Identity = {
		deviceId: '01a2f000-0000-7000-8000-000000000001',
		serverUrl: location.origin,
		baselineBuildId: 'scomo-pwa-test-Linux',
		info: { manufacturer: 'm', model: 'x', baselineBuildId: 'scomo-pwa-test-Linux', softwareVersion: '1' },
		mas: [{ maId: '01a2f000-0000-7000-8000-000000000002', name: 'Acme' }]
	};
	const ledger = emptyLedger();
	ledger.results['c1'] = {
		maId: identity.mas[0]!.maId,
		acked: false,
		result: { correlator: 'c1', resultCode: 1200, message: 'ok', componentId: null, entry: null, completedAt: 1 }
	};
	let db = await openDeviceDb(SELF_TEST_DB);
	const store = new IndexedDbStateStore(db);
	assert((await store.readIdentity()) === null, 'a new store has no identity');
	assert((await store.readLedger()).journal.length === 0, 'a new store has an empty ledger');
	await store.writeIdentity(identity);
	await store.writeLedger(ledger);
	await store.writeChoices({ [identity.mas[0]!.maId]: 'block' });
	db.close();
	// A new connection (as after a reload) reads what the resolved writes stored.
	db = await openDeviceDb(SELF_TEST_DB);
	const again = new IndexedDbStateStore(db);
	assert(JSON.stringify(await again.readIdentity()) === JSON.stringify(identity), 'identity read back differs');
	assert(JSON.stringify(await again.readLedger()) === JSON.stringify(ledger), 'ledger read back differs');
	assert((await again.readChoices())[identity.mas[0]!.maId] === 'block', 'choices read back differ');
	db.close();
	return 'identity, ledger (with an unsent result) and choices read back after reopening the database';
}

async function packageStoreKeepsVersions(): Promise<string> {
	const db = await openDeviceDb(SELF_TEST_DB);
	const packages = new IndexedDbPackageStore(db);
	const bytes = new TextEncoder().encode('scomo.log("hi")');
	await packages.put('com.example.a', '1.0.0', bytes);
	await packages.put('com.example.a', '1.1.0', bytes);
	await packages.put('com.example.ab', '1.0.0', bytes);
	assert(new TextDecoder().decode((await packages.get('com.example.a', '1.0.0'))!) === 'scomo.log("hi")', 'bundle bytes differ');
	assert((await packages.get('com.example.a', '2.0.0')) === null, 'a missing version is null');
	await packages.delete('com.example.a', '1.0.0');
	assert((await packages.versions('com.example.a')).join() === '1.1.0', 'deleting one version keeps the other');
	await packages.delete('com.example.a');
	assert((await packages.versions('com.example.a')).length === 0, 'deleting the component deletes every version');
	assert((await packages.versions('com.example.ab')).length === 1, 'another component with a longer ID is kept');
	db.close();
	return 'put, get, delete one version, delete all versions (other components untouched)';
}

async function deviceKeyIsNotExtractable(): Promise<string> {
	const db = await openDeviceDb(SELF_TEST_DB);
	const signer = await loadOrCreateSigner(db);
	const message = 'scomo-device-auth:v1:test';
	assert(await verifyEd25519(signer.publicKey, message, await signer.sign(message)), 'the signature does not verify');
	const key = await storedDeviceKey(db);
	assert(key && key.extractable === false && key.type === 'private', 'the stored key is not a non-extractable private key');
	let exported = true;
	await crypto.subtle.exportKey('pkcs8', key).catch(() => (exported = false));
	assert(!exported, 'the private key could be exported');
	const again = await loadOrCreateSigner(db);
	assert(again.publicKey === signer.publicKey, 'a second load made a different key');
	db.close();
	return 'Ed25519 signature verifies; the stored CryptoKey is non-extractable; reloading keeps the same key';
}

/** A bundle that tries to reach the PWA's data and reports what it could do. */
const PROBE = `
(async () => {
	const out = {};
	try { const r = indexedDB.open('scomo-device'); await new Promise((ok, ko) => { r.onsuccess = ok; r.onerror = () => ko(r.error); }); out.indexedDB = 'open'; }
	catch (e) { out.indexedDB = 'blocked: ' + (e && e.name); }
	try { out.caches = typeof caches === 'undefined' ? 'absent' : (await caches.keys(), 'open'); } catch (e) { out.caches = 'blocked: ' + (e && e.name); }
	try { await fetch(${JSON.stringify('/healthz')}); out.fetchOrigin = 'reached'; } catch (e) { out.fetchOrigin = 'blocked'; }
	try { out.origin = self.origin; } catch { out.origin = '?'; }
	scomo.log(JSON.stringify(out));
	if (scomo.render) scomo.render('<p>probe view</p>');
})();
scomo.onStop(() => scomo.log('probe stopping'));
`;

async function sandboxIsolatesComponents(): Promise<string> {
	const logs: string[] = [];
	const views: (string | null)[] = [];
	// The probe logs its report, then renders: each arrives as its own message, so wait for both.
	const reported = signal();
	const rendered = signal();
	const runner = new SandboxRunner({
		log: (_id, t) => {
			logs.push(t);
			if (t.startsWith('{')) reported.fire();
		},
		render: (_id, h) => {
			views.push(h);
			if (h === '<p>probe view</p>') rendered.fire();
		}
	});
	const started = await runner.start('com.example.probe', PROBE, manifest('com.example.probe', ['ui']));
	assert(started.ok, `the probe did not start: ${started.ok ? '' : started.message}`);
	assert(runner.isRunning('com.example.probe'), 'the probe is not running');
	await wait(Promise.all([reported.seen, rendered.seen]), 10_000, 'the probe’s report and view');
	const report = JSON.parse(logs.find((l) => l.startsWith('{')) ?? '{}') as Record<string, string>;
	assert(report.indexedDB?.startsWith('blocked'), `the component reached IndexedDB: ${JSON.stringify(report)}`);
	assert(report.caches !== 'open', `the component reached Cache Storage: ${JSON.stringify(report)}`);
	assert(report.fetchOrigin === 'blocked', `the component reached the server: ${JSON.stringify(report)}`);
	assert(report.origin === 'null', `the component's origin is ${report.origin}, not opaque`);
	assert(views.includes('<p>probe view</p>'), 'the ui component could not render its view');
	await wait(runner.stop('com.example.probe'), 5000, 'stop');
	assert(logs.includes('probe stopping'), 'Stop did not call the onStop handler');
	assert(!runner.isRunning('com.example.probe'), 'the probe still runs after Stop');
	assert(views.at(-1) === null, 'the view was not removed after Stop');
	return `opaque origin; ${Object.entries(report).map(([k, v]) => `${k}: ${v}`).join('; ')}; onStop ran; view removed`;
}

async function sandboxReportsFailures(): Promise<string> {
	const runner = new SandboxRunner();
	const changes: RunnerStateChange[] = [];
	const changed = signal();
	runner.onStateChange((c) => {
		changes.push(c);
		changed.fire();
	});
	const bad = await runner.start('com.example.bad', 'throw new Error("broken at start")', manifest('com.example.bad'));
	assert(!bad.ok && bad.message.includes('broken at start'), `a throwing bundle started: ${JSON.stringify(bad)}`);
	const syntax = await runner.start('com.example.syntax', 'this is not javascript', manifest('com.example.syntax'));
	assert(!syntax.ok, 'a bundle with a syntax error started');
	const crash = await runner.start('com.example.crash', 'setTimeout(() => { throw new Error("late crash"); }, 100);', manifest('com.example.crash'));
	assert(crash.ok, 'the crashing bundle did not start');
	await wait(changed.seen, 10_000, 'the crash to be reported');
	assert(changes[0]?.operational === 'Failed' && changes[0].message.includes('late crash'), `no Failed state: ${JSON.stringify(changes)}`);
	assert(!runner.isRunning('com.example.crash'), 'a crashed component still counts as running');
	const hang = await runner.start('com.example.hang', 'scomo.onStop(() => new Promise(() => {}));', manifest('com.example.hang'));
	assert(hang.ok, 'the hanging bundle did not start');
	const stopped = await wait(runner.stop('com.example.hang'), 5000, 'stop of a component whose onStop never ends');
	assert(stopped.ok && !runner.isRunning('com.example.hang'), 'a hanging onStop kept the component');
	return 'a throw or syntax error fails the start; a later crash reports Failed; a hanging onStop is ended after the grace period';
}

export const CHECKS: { name: string; run: () => Promise<string> }[] = [
	{ name: 'state-store', run: stateStoreSurvivesReopen },
	{ name: 'package-store', run: packageStoreKeepsVersions },
	{ name: 'device-key', run: deviceKeyIsNotExtractable },
	{ name: 'sandbox-isolation', run: sandboxIsolatesComponents },
	{ name: 'sandbox-failures', run: sandboxReportsFailures }
];

export async function runSelfTest(onResult: (r: CheckResult) => void): Promise<void> {
	await deleteDB(SELF_TEST_DB);
	for (const c of CHECKS) {
		try {
			onResult({ name: c.name, ok: true, detail: await c.run() });
		} catch (e) {
			onResult({ name: c.name, ok: false, detail: e instanceof Error ? e.message : String(e) });
		}
	}
	await deleteDB(SELF_TEST_DB);
}
