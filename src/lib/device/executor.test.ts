import { describe, it, expect, beforeEach } from 'vitest';
import type { CommandSetMsg, ComponentStateChangeMsg, Manifest, OperationResultMsg, ProgressMsg } from '../contract';
import type { ConsentMode, OperationKind } from '../core';
import { sha256Hex } from './crypto';
import { Executor } from './executor';
import { componentKey } from './component-key';
import { LedgerKeeper } from './ledger';
import { DownloadError, type DeviceLink, type SendOutcome } from './link';
import { MemoryPackageStore, MemoryRunner, MemoryStateStore, ScriptedConsent, acceptEverySet, digestOnlyPackageKeys } from './memory-adapters';
import type { RuntimeEvent } from './events';

const MA = '0190a000-0000-7000-8000-000000000001';
const OTHER_MA = '0190a000-0000-7000-8000-000000000002';
const CLOCK = 'com.example.clock';
/** Where the device files MA's CLOCK (bundles, worker): owner + component ID. */
const KEY = componentKey(MA, CLOCK);
const NOW = 1_800_000_000_000;
const encoder = new TextEncoder();

const manifest = (version: string, compatibleBaselines = ['*']): Manifest => ({
	id: CLOCK,
	name: 'Clock',
	version,
	description: 'Tells the time',
	permissions: ['network'],
	compatibleBaselines,
	entry: 'main.js'
});

/** A link with bundles served by correlator, recording everything the device sends. */
class FakeLink implements DeviceLink {
	bundles = new Map<string, Uint8Array>();
	fetched: string[] = [];
	results: OperationResultMsg[] = [];
	progress: ProgressMsg[] = [];
	states: ComponentStateChangeMsg[] = [];
	answer: SendOutcome = 'acked';
	/** How many fetches fail as if the server were restarting (DownloadError, not permanent). */
	transientFailures = 0;
	onTransientFailure: () => void = () => {};
	async fetchBundle(correlator: string, onBytes?: (done: number, total: number) => void) {
		this.fetched.push(correlator);
		if (this.transientFailures > 0) {
			this.transientFailures--;
			this.onTransientFailure();
			throw new DownloadError('the server is restarting', false);
		}
		const b = this.bundles.get(correlator);
		if (!b) throw new Error('404');
		// As the socket link does: the running total in chunks (here 64 bytes), against the body's length.
		for (let done = 0; done < b.length; done = Math.min(b.length, done + 64)) onBytes?.(done, b.length);
		onBytes?.(b.length, b.length);
		return b;
	}
	async sendProgress(p: ProgressMsg) {
		this.progress.push(p);
	}
	async sendResult(r: OperationResultMsg) {
		if (this.answer !== 'unsent') this.results.push(r);
		return this.answer;
	}
	async sendComponentState(c: ComponentStateChangeMsg) {
		this.states.push(c);
		return this.answer;
	}
	codes() {
		return Object.fromEntries(this.results.map((r) => [r.correlator, r.resultCode]));
	}
}


let seq = 0;
const corr = () => `corr-${String(++seq).padStart(6, '0')}`;

type OpSpec = { kind: OperationKind; version?: string; code?: string; baselines?: string[]; tamper?: boolean };

type Env = Awaited<ReturnType<typeof setup>>;

async function setup(opts: { consent?: ScriptedConsent; baseline?: string; store?: MemoryStateStore; packages?: MemoryPackageStore } = {}) {
	const store = opts.store ?? new MemoryStateStore();
	const packages = opts.packages ?? new MemoryPackageStore();
	const runner = new MemoryRunner();
	const consent = opts.consent ?? new ScriptedConsent();
	const link = new FakeLink();
	const events: RuntimeEvent[] = [];
	const keeper = await LedgerKeeper.load(store);
	let elapsed = 0;
	const clock = { now: () => NOW + elapsed };
	const advance = (ms: number) => (elapsed += ms);
	const executor = new Executor({
		keeper,
		store,
		packages,
		runner,
		consent,
		clock,
		baseline: () => opts.baseline ?? 'acme-os-1',
		link: () => link,
		emit: (e) => events.push(e),
		verify: acceptEverySet,
		packageKeys: digestOnlyPackageKeys,
		downloadRetry: { firstDelayMs: 1, maxDelayMs: 4 }
	});

	/** Builds a command set and serves the bundles its package operations need. */
	async function commandSet(ops: OpSpec[], extra: Partial<CommandSetMsg> = {}): Promise<CommandSetMsg> {
		const operations = [];
		for (const op of ops) {
			const correlator = corr();
			let pkg = null;
			if (['Download', 'DownloadInstall', 'DownloadInstallInactive', 'Update'].includes(op.kind)) {
				const version = op.version ?? '1.0.0';
				const bytes = encoder.encode(op.code ?? `scomo.log('clock ${version}');`);
				pkg = {
					versionId: '0190a000-0000-7000-8000-0000000000aa',
					componentId: CLOCK,
					version,
					sha256: await sha256Hex(bytes),
					size: bytes.length,
					manifest: manifest(version, op.baselines)
				};
				// A tampered bundle has the announced size, so only its digest gives it away.
				link.bundles.set(correlator, op.tamper ? encoder.encode(`scomo.log('clocK ${version}');`) : bytes);
			}
			operations.push({
				correlator,
				kind: op.kind,
				componentId: op.kind === 'Inventory' ? null : CLOCK,
				version: op.version ?? null,
				package: pkg
			});
		}
		return {
			batchId: null,
			maId: MA,
			maName: 'Acme',
			consentMode: 'silent' as ConsentMode,
			intent: 'Keep the clock current',
			issuedAt: NOW - 1000,
			expiresAt: NOW + 60_000,
			operations,
			...extra
		};
	}

	/** Receive, ack and run to the end, as the connection does. */
	async function run(set: CommandSetMsg) {
		const ack = await executor.receive(set);
		executor.kick();
		await executor.idle();
		return ack;
	}

	const entry = () => keeper.item(MA, CLOCK)?.component ?? null;
	return { store, packages, runner, consent, link, events, keeper, executor, commandSet, run, entry, advance };
}

async function installed(env: Env, kind: OperationKind = 'DownloadInstall') {
	await env.run(await env.commandSet([{ kind, version: '1.0.0' }]));
}

describe('executor', () => {
	let env: Env;
	beforeEach(async () => {
		env = await setup();
	});

	it('DownloadInstall: downloads, verifies, stores, installs and reports 1200 with the new entry', async () => {
		const set = await env.commandSet([{ kind: 'DownloadInstall', version: '1.0.0' }]);
		const ack = await env.run(set);
		const c = set.operations[0]!.correlator;
		expect(ack).toEqual({ ok: true, accepted: [c] });
		expect(env.link.codes()).toEqual({ [c]: 1200 });
		const expected = { stage: 'deployed', componentId: CLOCK, version: '1.0.0', state: 'Active', operational: 'Stopped' };
		expect(env.link.results[0]!.entry).toEqual(expected);
		expect(env.entry()).toEqual(expected);
		expect(env.packages.versions(KEY)).toEqual(['1.0.0']);
		expect([...new Set(env.link.progress.map((p) => p.downloadStatus).filter(Boolean))]).toEqual([30, 40, 50]);
		// The download reported its bytes, growing, ending at the whole body; the other phases carry none.
		const ticks = env.link.progress.filter((p) => p.bytesDone !== undefined);
		const size = env.link.bundles.get(c)!.length;
		expect(ticks.length).toBeGreaterThanOrEqual(2);
		expect(ticks.every((p) => p.downloadStatus === 30 && p.bytesTotal === size)).toBe(true);
		expect(ticks.map((p) => p.bytesDone)).toEqual([...ticks.map((p) => p.bytesDone!)].sort((a, b) => a - b));
		expect(ticks.at(-1)!.bytesDone).toBe(size);
		// Acked: nothing left in the outbox, the journal is empty, and both are durable.
		expect(env.keeper.outbox()).toEqual([]);
		expect(env.store.ledger.journal).toEqual([]);
		expect(env.store.ledger.results[c]).toMatchObject({ acked: true, result: { resultCode: 1200 } });
	});

	it('journals the set before acking it', async () => {
		const set = await env.commandSet([{ kind: 'DownloadInstall' }]);
		await env.executor.receive(set);
		expect(env.store.ledger.journal).toHaveLength(1);
		expect(env.store.ledger.journal[0]!.set.operations[0]!.correlator).toBe(set.operations[0]!.correlator);
		expect(env.link.fetched).toEqual([]);
	});

	it('refuses a malformed set with invalid_request and journals nothing', async () => {
		const ack = await env.executor.receive({ maId: MA, operations: [] });
		expect(ack).toMatchObject({ ok: false, code: 'invalid_request' });
		expect(env.store.ledger.journal).toEqual([]);
	});

	it('never runs a correlator twice: a repeated set gets the stored result again', async () => {
		const set = await env.commandSet([{ kind: 'DownloadInstall' }, { kind: 'Start' }]);
		await env.run(set);
		const ack = await env.run(set);
		expect(ack).toEqual({ ok: true, accepted: set.operations.map((o) => o.correlator) });
		expect(env.link.fetched).toHaveLength(1);
		expect(env.runner.started).toEqual([KEY]);
		// Each result was sent twice (once per delivery), with the same content.
		expect(env.link.results).toHaveLength(4);
		expect(env.link.results[2]).toEqual(env.link.results[0]);
	});

	it('a set delivered again while it runs is accepted but not started twice', async () => {
		let release!: () => void;
		const gate = new Promise<'accept'>((r) => (release = () => r('accept')));
		const slow = await setup({ consent: new ScriptedConsent(() => gate) });
		const set = await slow.commandSet([{ kind: 'DownloadInstall' }], { consentMode: 'confirm' });
		await slow.executor.receive(set);
		slow.executor.kick();
		const again = await slow.executor.receive(set);
		expect(again).toMatchObject({ ok: true });
		release();
		slow.executor.kick();
		await slow.executor.idle();
		expect(slow.consent.asked).toHaveLength(1);
		expect(slow.link.fetched).toHaveLength(1);
		expect(slow.link.codes()).toEqual({ [set.operations[0]!.correlator]: 1200 });
	});

	it('an expired set ends with 1454 for each operation and runs nothing', async () => {
		const set = await env.commandSet([{ kind: 'DownloadInstall' }, { kind: 'Start' }], { expiresAt: NOW - 1 });
		const ack = await env.run(set);
		expect(ack).toMatchObject({ ok: true });
		expect(Object.values(env.link.codes())).toEqual([1454, 1454]);
		expect(env.link.fetched).toEqual([]);
		expect(env.entry()).toBeNull();
	});

	it('confirm: one prompt for the whole set with implications; refusal ends every operation with 1401', async () => {
		const consent = new ScriptedConsent('refuse');
		const e = await setup({ consent });
		const set = await e.commandSet([{ kind: 'DownloadInstall' }, { kind: 'Start' }], { consentMode: 'confirm' });
		await e.run(set);
		expect(consent.asked).toHaveLength(1); // SCOMO-ADC-2
		const prompt = consent.asked[0]!;
		expect(prompt).toMatchObject({ maName: 'Acme', intent: 'Keep the clock current' });
		expect(prompt.operations.map((o) => o.kind)).toEqual(['DownloadInstall', 'Start']);
		expect(prompt.operations[0]!.implication).toMatch(/installs/);
		expect(prompt.operations[0]!.component).toEqual({ id: CLOCK, name: 'Clock', version: '1.0.0' });
		expect(prompt.operations[0]!.permissions).toEqual([{ permission: 'network', sentence: 'Connect to the internet.' }]);
		expect(Object.values(e.link.codes())).toEqual([1401, 1401]);
		expect(e.link.progress.filter((p) => p.phase === 'awaiting-consent')).toHaveLength(2);
		expect(e.link.fetched).toEqual([]);
		expect(e.entry()).toBeNull();
	});

	it('confirm accepted runs; an MA the user allowed is not prompted', async () => {
		const consent = new ScriptedConsent('accept');
		const e = await setup({ consent });
		await e.run(await e.commandSet([{ kind: 'DownloadInstall' }], { consentMode: 'confirm' }));
		expect(consent.asked).toHaveLength(1);
		e.store.choices[MA] = 'allow';
		await e.run(await e.commandSet([{ kind: 'Start' }], { consentMode: 'confirm' }));
		expect(consent.asked).toHaveLength(1);
		expect(Object.values(e.link.codes())).toEqual([1200, 1200]);
	});

	it('an MA the user blocked gets 1401 for everything, with a notice and no prompt', async () => {
		const consent = new ScriptedConsent('accept');
		const e = await setup({ consent });
		e.store.choices[MA] = 'block';
		const set = await e.commandSet([{ kind: 'DownloadInstall' }], { consentMode: 'silent' });
		await e.run(set);
		expect(consent.asked).toEqual([]);
		expect(consent.notices).toEqual([
			{ kind: 'blocked', maId: MA, maName: 'Acme', correlators: [set.operations[0]!.correlator] }
		]);
		expect(Object.values(e.link.codes())).toEqual([1401]);
	});

	it('notify: tells the user before and after, without asking (SCOMO-USA-2)', async () => {
		const consent = new ScriptedConsent('refuse');
		const e = await setup({ consent });
		await e.run(await e.commandSet([{ kind: 'DownloadInstall' }], { consentMode: 'notify' }));
		expect(consent.asked).toEqual([]);
		expect(consent.notices.map((n) => n.kind)).toEqual(['before', 'after']);
		expect(consent.notices[1]).toMatchObject({ results: [{ resultCode: 1200, componentId: CLOCK }] });
	});

	it('a digest mismatch ends with 1407 and stores nothing (SCOMO-SEC-03)', async () => {
		await env.run(await env.commandSet([{ kind: 'DownloadInstall', tamper: true }]));
		expect(Object.values(env.link.codes())).toEqual([1407]);
		expect(env.entry()).toBeNull();
		expect(env.packages.bundles.size).toBe(0);
	});

	it('a bundle of another size ends with 1407 too', async () => {
		const set = await env.commandSet([{ kind: 'Download' }]);
		env.link.bundles.set(set.operations[0]!.correlator, encoder.encode('x'));
		await env.run(set);
		expect(env.link.results[0]).toMatchObject({ resultCode: 1407, message: expect.stringContaining('1 bytes') });
		expect(env.packages.bundles.size).toBe(0);
	});

	it('a digest mismatch on Update leaves the installed version as it was', async () => {
		await installed(env);
		const before = structuredClone(env.store.ledger.inventory);
		await env.run(await env.commandSet([{ kind: 'Update', version: '1.1.0', tamper: true }]));
		expect(env.link.results.at(-1)!.resultCode).toBe(1407);
		expect(env.store.ledger.inventory).toEqual(before);
		expect(env.packages.versions(KEY)).toEqual(['1.0.0']);
	});

	it('a failed download ends with 1402', async () => {
		const set = await env.commandSet([{ kind: 'Download' }]);
		env.link.bundles.clear();
		await env.run(set);
		expect(Object.values(env.link.codes())).toEqual([1402]);
		expect(env.entry()).toBeNull();
	});

	it('a download that fails while the server restarts is tried again with a new token, and succeeds', async () => {
		const set = await env.commandSet([{ kind: 'Download' }]);
		env.link.transientFailures = 2;
		await env.run(set);
		expect(Object.values(env.link.codes())).toEqual([1200]);
		expect(env.link.fetched).toEqual([set.operations[0]!.correlator, set.operations[0]!.correlator, set.operations[0]!.correlator]);
		expect(env.events.filter((e) => e.event === 'download-retry').map((e) => e.event === 'download-retry' && e.attempt)).toEqual([1, 2]);
		expect(env.entry()).toMatchObject({ stage: 'delivered' });
	});

	it('transient download failures end with 1402 once the operation’s deadline has passed', async () => {
		const set = await env.commandSet([{ kind: 'Download' }]);
		env.link.transientFailures = Number.POSITIVE_INFINITY;
		env.link.onTransientFailure = () => env.advance(25_000);
		await env.run(set);
		expect(Object.values(env.link.codes())).toEqual([1402]);
		// 60 s of validity, 25 s per failed attempt: the third failure is past the deadline.
		expect(env.link.fetched).toHaveLength(3);
		expect(env.entry()).toBeNull();
	});

	it('Install on an unsupported baseline ends with 1413 and changes nothing (SCOMO-HLFR-9)', async () => {
		await env.run(await env.commandSet([{ kind: 'DownloadInstall', baselines: ['other-os-2'] }]));
		expect(Object.values(env.link.codes())).toEqual([1413]);
		expect(env.link.fetched).toEqual([]);
		expect(env.entry()).toBeNull();
	});

	it('Start on an inactive component ends with 1450 and changes nothing', async () => {
		await installed(env, 'DownloadInstallInactive');
		const before = env.entry();
		await env.run(await env.commandSet([{ kind: 'Start' }]));
		expect(env.link.results.at(-1)).toMatchObject({ resultCode: 1450, entry: before });
		expect(env.entry()).toEqual(before);
		expect(env.runner.started).toEqual([]);
	});

	it('a rejected operation does not stop the set; a later one that needed it is rejected on its own', async () => {
		const set = await env.commandSet([{ kind: 'Install' }, { kind: 'Activate' }, { kind: 'Download' }]);
		await env.run(set);
		expect(env.link.results.map((r) => r.resultCode)).toEqual([1458, 1458, 1200]);
		expect(env.entry()).toMatchObject({ stage: 'delivered', version: '1.0.0' });
	});

	it('the whole life cycle: Download, Install, Start, Stop, Deactivate, Activate, Update, Remove', async () => {
		await env.run(await env.commandSet([{ kind: 'Download' }]));
		expect(env.entry()).toEqual({ stage: 'delivered', componentId: CLOCK, version: '1.0.0' });
		await env.run(await env.commandSet([{ kind: 'Install' }]));
		expect(env.entry()).toMatchObject({ stage: 'deployed', state: 'Active', operational: 'Stopped' });
		await env.run(await env.commandSet([{ kind: 'Start' }]));
		expect(env.entry()).toMatchObject({ operational: 'Running' });
		expect(env.runner.isRunning(KEY)).toBe(true);
		await env.run(await env.commandSet([{ kind: 'Stop' }]));
		expect(env.runner.isRunning(KEY)).toBe(false);
		await env.run(await env.commandSet([{ kind: 'Start' }, { kind: 'Deactivate' }]));
		expect(env.entry()).toMatchObject({ state: 'Inactive', operational: 'Stopped' });
		expect(env.runner.isRunning(KEY)).toBe(false);
		await env.run(await env.commandSet([{ kind: 'Activate' }, { kind: 'Start' }]));
		await env.run(await env.commandSet([{ kind: 'Update', version: '1.1.0' }]));
		expect(env.entry()).toMatchObject({ version: '1.1.0', state: 'Active', operational: 'Running' });
		expect(env.runner.running.get(KEY)).toContain('1.1.0');
		expect(env.packages.versions(KEY)).toEqual(['1.1.0']);
		await env.run(await env.commandSet([{ kind: 'Remove' }]));
		expect(env.entry()).toBeNull();
		expect(env.runner.isRunning(KEY)).toBe(false);
		expect(env.packages.bundles.size).toBe(0);
		expect(env.link.results.every((r) => r.resultCode === 1200)).toBe(true);
		expect(env.link.results).toHaveLength(10);
	});

	it('instantaneous steps send no progress: Start and Stop are command → result', async () => {
		await env.run(await env.commandSet([{ kind: 'DownloadInstall' }]));
		const before = env.link.progress.length;
		expect(before).toBeGreaterThan(0);
		await env.run(await env.commandSet([{ kind: 'Start' }]));
		await env.run(await env.commandSet([{ kind: 'Stop' }]));
		expect(env.link.progress.slice(before)).toEqual([]);
		expect(env.link.results.slice(-2).map((r) => r.resultCode)).toEqual([1200, 1200]);
	});

	it('a component whose bundle fails to start ends with 1450 and is Failed', async () => {
		await env.run(await env.commandSet([{ kind: 'DownloadInstall', code: 'throw new Error("boom")' }]));
		await env.run(await env.commandSet([{ kind: 'Start' }]));
		expect(env.link.results.at(-1)).toMatchObject({ resultCode: 1450, entry: { operational: 'Failed' } });
		expect(env.entry()).toMatchObject({ operational: 'Failed' });
	});

	it("another MA's component looks absent: 1458, and Inventory lists only the MA's own (SCOMO-ADC-3)", async () => {
		await installed(env);
		const theirs = await env.commandSet([{ kind: 'Stop' }, { kind: 'Remove' }, { kind: 'Inventory' }], { maId: OTHER_MA });
		await env.run(theirs);
		const [stop, remove, inventory] = env.link.results.slice(-3);
		expect(stop).toMatchObject({ resultCode: 1458, entry: null });
		expect(remove).toMatchObject({ resultCode: 1458, entry: null });
		expect(inventory).toMatchObject({ resultCode: 1200, inventory: [] });
		expect(env.entry()).not.toBeNull();
		await env.run(await env.commandSet([{ kind: 'Inventory' }]));
		expect(env.link.results.at(-1)!.inventory).toEqual([env.entry()]);
	});

	it("two MAs' components of the same ID are two components: own bundle, worker and inventory; removing one leaves the other", async () => {
		await env.run(await env.commandSet([{ kind: 'DownloadInstall', code: 'mine' }, { kind: 'Start' }]));
		await env.run(await env.commandSet([{ kind: 'DownloadInstall', code: 'theirs' }, { kind: 'Start' }], { maId: OTHER_MA }));
		const THEIRS = componentKey(OTHER_MA, CLOCK);
		expect(env.link.results.map((r) => r.resultCode)).toEqual([1200, 1200, 1200, 1200]);
		expect(env.runner.running.get(KEY)).toBe('mine');
		expect(env.runner.running.get(THEIRS)).toBe('theirs');
		await env.run(await env.commandSet([{ kind: 'Stop' }, { kind: 'Remove' }]));
		expect(env.link.results.slice(-2).map((r) => [r.resultCode, r.entry])).toEqual([
			[1200, expect.objectContaining({ operational: 'Stopped' })],
			[1200, null]
		]);
		expect(env.runner.isRunning(KEY)).toBe(false);
		expect(env.runner.running.get(THEIRS)).toBe('theirs');
		expect(env.packages.versions(KEY)).toEqual([]);
		expect(env.packages.versions(THEIRS)).toEqual(['1.0.0']);
		expect(env.keeper.item(MA, CLOCK)).toBeNull();
		expect(env.keeper.item(OTHER_MA, CLOCK)?.component).toMatchObject({ stage: 'deployed', operational: 'Running' });
		await env.run(await env.commandSet([{ kind: 'Inventory' }], { maId: OTHER_MA }));
		expect(env.link.results.at(-1)!.inventory).toEqual([env.keeper.item(OTHER_MA, CLOCK)!.component]);
		// The full report names each entry's owner, so the server files them apart too.
		expect(env.keeper.allComponents()).toEqual([expect.objectContaining({ maId: OTHER_MA, componentId: CLOCK })]);
	});

	it('keeps results in the outbox while offline and sends them when asked again', async () => {
		env.link.answer = 'unsent';
		const set = await env.commandSet([{ kind: 'DownloadInstall' }]);
		await env.run(set);
		expect(env.link.results).toEqual([]);
		expect(env.store.ledger.results[set.operations[0]!.correlator]).toMatchObject({ acked: false });
		env.link.answer = 'acked';
		env.executor.flushOutbox();
		await env.executor.idle();
		expect(env.link.codes()).toEqual({ [set.operations[0]!.correlator]: 1200 });
		expect(env.keeper.outbox()).toEqual([]);
	});

	it('after a restart, runs what the journal holds and re-sends what the outbox holds', async () => {
		const store = new MemoryStateStore();
		const packages = new MemoryPackageStore();
		const first = await setup({ store, packages });
		first.link.answer = 'unsent';
		const done = await first.commandSet([{ kind: 'DownloadInstall' }]);
		await first.run(done);
		// The second set is acked (journaled) but the device "dies" before running it.
		const cut = await first.commandSet([{ kind: 'Start' }]);
		await first.executor.receive(cut);

		const second = await setup({ store, packages });
		second.executor.kick();
		await second.executor.idle();
		expect(second.link.codes()).toEqual({
			[done.operations[0]!.correlator]: 1200,
			[cut.operations[0]!.correlator]: 1200
		});
		expect(second.entry()).toMatchObject({ operational: 'Running' });
		expect(store.ledger.journal).toEqual([]);
	});

	it('an operation cut short mid-install is re-run from the start and ends with a definite result', async () => {
		const store = new MemoryStateStore();
		const packages = new MemoryPackageStore();
		const first = await setup({ store, packages });
		const set = await first.commandSet([{ kind: 'DownloadInstall' }]);
		await first.executor.receive(set);
		// Simulate the crash: the bundle was stored (verify done) but the result never committed.
		const bytes = first.link.bundles.get(set.operations[0]!.correlator)!;
		await packages.put(KEY, '1.0.0', bytes);

		const second = await setup({ store, packages });
		second.link.bundles = first.link.bundles;
		second.executor.kick();
		await second.executor.idle();
		expect(second.link.codes()).toEqual({ [set.operations[0]!.correlator]: 1200 });
		expect(second.entry()).toMatchObject({ stage: 'deployed', version: '1.0.0' });
	});

	it('a consent given before a restart is not asked again', async () => {
		const store = new MemoryStateStore();
		const firstConsent = new ScriptedConsent('accept');
		const first = await setup({ store, consent: firstConsent });
		const set = await first.commandSet([{ kind: 'DownloadInstall' }], { consentMode: 'confirm' });
		// The user accepts; the runtime records the decision, then its download hangs and the device "crashes"
		// (the first runtime is abandoned mid-operation, never finishing or writing again).
		let downloading!: () => void;
		const downloadStarted = new Promise<void>((resolve) => (downloading = resolve));
		first.link.fetchBundle = () => {
			downloading();
			return new Promise<Uint8Array>(() => {});
		};
		expect(await first.executor.receive(set)).toMatchObject({ ok: true });
		first.executor.kick();
		await downloadStarted;
		expect(firstConsent.asked).toHaveLength(1);
		expect(store.ledger.journal.map((e) => e.consent)).toEqual(['accepted']);

		// After the restart: a new runtime over the same store runs the journal without asking again.
		const secondConsent = new ScriptedConsent('refuse');
		const second = await setup({ store, consent: secondConsent });
		second.link.bundles = first.link.bundles;
		second.executor.kick();
		await second.executor.idle();
		expect(secondConsent.asked).toHaveLength(0);
		expect(second.link.codes()).toEqual({ [set.operations[0]!.correlator]: 1200 });
		expect(second.entry()).toMatchObject({ stage: 'deployed', version: '1.0.0' });
		expect(store.ledger.journal).toEqual([]);
	});

	it('a store that cannot write makes receive fail, so the set is not acked', async () => {
		env.store.failNextWrites = 1;
		await expect(env.executor.receive(await env.commandSet([{ kind: 'Download' }]))).rejects.toThrow('disk full');
	});
});
