import { describe, it, expect } from 'vitest';
import type { Manifest } from '../contract';
import { DeviceRuntime } from './runtime';
import { componentKey } from './component-key';
import { sha256Hex } from './crypto';
import { MemoryPackageStore, MemoryRunner, MemoryStateStore, ScriptedConsent } from './memory-adapters';
import type { InventoryItem, Signer } from './ports';
import type { RuntimeEvent } from './events';

const MA = '0190a000-0000-7000-8000-000000000001';
const signer: Signer = { publicKey: 'AAAA', sign: async () => 'sig' };
const manifest = (id: string): Manifest => ({ id, name: id, version: '1.0.0', description: '', permissions: [], compatibleBaselines: ['*'], entry: 'main.js' });
const item = (id: string, operational: 'Running' | 'Initializing' | 'ShuttingDown' | 'Stopped' | 'Failed'): InventoryItem => ({
	maId: MA,
	component: { stage: 'deployed', componentId: id, version: '1.0.0', state: 'Active', operational },
	manifest: manifest(id),
	sha256: '0'.repeat(64)
});

async function open(items: InventoryItem[], bundles: Record<string, string>) {
	const store = new MemoryStateStore();
	store.identity = {
		deviceId: '0190a000-0000-7000-8000-0000000000d1',
		serverUrl: 'http://localhost:1',
		baselineBuildId: 'b',
		info: { manufacturer: 'M', model: 'X', baselineBuildId: 'b', softwareVersion: '1' },
		mas: [{ maId: MA, name: 'Acme' }]
	};
	store.ledger.inventory = items;
	const packages = new MemoryPackageStore();
	for (const [id, code] of Object.entries(bundles)) await packages.put(componentKey(MA, id), '1.0.0', new TextEncoder().encode(code));
	const runner = new MemoryRunner();
	const events: RuntimeEvent[] = [];
	const runtime = (await DeviceRuntime.open({ store, packages, runner, consent: new ScriptedConsent(), signer, emit: (e) => events.push(e) }))!;
	const state = (id: string) => store.ledger.inventory.find((i) => i.component.componentId === id)?.component;
	return { store, packages, runner, runtime, events, state };
}

describe('DeviceRuntime', () => {
	it('is not opened before enrollment', async () => {
		const store = new MemoryStateStore();
		const r = await DeviceRuntime.open({ store, packages: new MemoryPackageStore(), runner: new MemoryRunner(), consent: new ScriptedConsent(), signer });
		expect(r).toBeNull();
	});

	it('restarts components that were running; a missing or failing bundle makes them Failed; ShuttingDown ends Stopped', async () => {
		const w = await open(
			[item('com.a.running', 'Running'), item('com.a.init', 'Initializing'), item('com.a.broken', 'Running'), item('com.a.gone', 'Running'), item('com.a.closing', 'ShuttingDown'), item('com.a.idle', 'Stopped')],
			{ 'com.a.running': 'ok', 'com.a.init': 'ok', 'com.a.broken': 'throw 1', 'com.a.idle': 'ok' }
		);
		await w.runtime.restore();
		expect(w.runner.started.sort()).toEqual([componentKey(MA, 'com.a.init'), componentKey(MA, 'com.a.running')]);
		expect(w.state('com.a.running')).toMatchObject({ operational: 'Running' });
		expect(w.state('com.a.init')).toMatchObject({ operational: 'Running' });
		expect(w.state('com.a.broken')).toMatchObject({ operational: 'Failed' });
		expect(w.state('com.a.gone')).toMatchObject({ operational: 'Failed' });
		expect(w.state('com.a.closing')).toMatchObject({ operational: 'Stopped' });
		expect(w.state('com.a.idle')).toMatchObject({ operational: 'Stopped' });
	});

	it('records a crash of a running component as Failed and reports it', async () => {
		const w = await open([item('com.a.app', 'Running')], { 'com.a.app': 'ok' });
		await w.runtime.restore();
		w.runner.crash(componentKey(MA, 'com.a.app'));
		const until = Date.now() + 5000;
		while (w.state('com.a.app')?.stage === 'deployed' && (w.state('com.a.app') as { operational: string }).operational !== 'Failed') {
			if (Date.now() > until) throw new Error('crash not recorded');
			await new Promise((r) => setTimeout(r, 5));
		}
		expect(w.events).toContainEqual({ event: 'component-state', componentId: 'com.a.app', operational: 'Failed', message: 'crashed' });
	});

	it('moves a bundle stored under the bare component ID (before per-MA keys) to its key, only if its digest is the recorded one', async () => {
		const code = new TextEncoder().encode('ok');
		const mine = { ...item('com.a.old', 'Running'), sha256: await sha256Hex(code) };
		const w = await open([mine, item('com.a.other', 'Running')], {});
		await w.packages.put('com.a.old', '1.0.0', code);
		// Same ID layout, but not the bytes the item recorded: never taken as this component's bundle.
		await w.packages.put('com.a.other', '1.0.0', code);
		await w.runtime.restore();
		expect(await w.packages.get(componentKey(MA, 'com.a.old'), '1.0.0')).toEqual(code);
		expect(await w.packages.get('com.a.old', '1.0.0')).toBeNull();
		expect(w.runner.started).toEqual([componentKey(MA, 'com.a.old')]);
		expect(await w.packages.get(componentKey(MA, 'com.a.other'), '1.0.0')).toBeNull();
		expect(w.state('com.a.other')).toMatchObject({ operational: 'Failed' });
	});

	it("keeps two MAs' components of the same ID apart: a crash of one is reported under its own MA", async () => {
		const OTHER = '0190a000-0000-7000-8000-000000000002';
		const w = await open([item('com.a.app', 'Running'), { ...item('com.a.app', 'Running'), maId: OTHER }], { 'com.a.app': 'ok' });
		await w.packages.put(componentKey(OTHER, 'com.a.app'), '1.0.0', new TextEncoder().encode('theirs'));
		await w.runtime.restore();
		expect(w.runner.started.sort()).toEqual([componentKey(MA, 'com.a.app'), componentKey(OTHER, 'com.a.app')].sort());
		w.runner.crash(componentKey(OTHER, 'com.a.app'));
		const theirs = () => w.store.ledger.inventory.find((i) => i.maId === OTHER)!.component as { operational: string };
		const until = Date.now() + 5000;
		while (theirs().operational !== 'Failed') {
			if (Date.now() > until) throw new Error('crash not recorded');
			await new Promise((r) => setTimeout(r, 5));
		}
		expect(w.runner.isRunning(componentKey(MA, 'com.a.app'))).toBe(true);
		expect((w.store.ledger.inventory.find((i) => i.maId === MA)!.component as { operational: string }).operational).toBe('Running');
	});
});
