import { describe, it, expect, afterEach } from 'vitest';
import { WorkerRunner } from './worker-runner';
import type { RunnerStateChange } from '../src/lib/device';
import type { Manifest } from '../src/lib/contract';

const manifest: Manifest = {
	id: 'com.example.test',
	name: 'Test',
	version: '1.0.0',
	description: '',
	permissions: [],
	compatibleBaselines: ['*'],
	entry: 'main.js'
};

/** Resolves with the next state change the runner reports (bounded wait). */
const nextChange = (runner: WorkerRunner) =>
	new Promise<RunnerStateChange>((resolve, reject) => {
		const t = setTimeout(() => reject(new Error('no state change')), 10_000);
		runner.onStateChange((c) => {
			clearTimeout(t);
			resolve(c);
		});
	});

let runner: WorkerRunner;
afterEach(async () => {
	await runner?.stopAll();
});

describe('WorkerRunner', () => {
	it('runs a bundle in a worker thread with scomo.log, and Stop calls its onStop handler', async () => {
		const logs: string[] = [];
		runner = new WorkerRunner((_id, text) => logs.push(text));
		const code = `const t = setInterval(() => {}, 1000); scomo.onStop(() => { clearInterval(t); scomo.log('bye', scomo.componentId); }); scomo.log('hi', {n: 1});`;
		expect(await runner.start('com.example.test', code, manifest)).toEqual({ ok: true });
		expect(runner.isRunning('com.example.test')).toBe(true);
		expect(await runner.start('com.example.test', code, manifest)).toMatchObject({ ok: false });
		expect(await runner.stop('com.example.test')).toEqual({ ok: true });
		expect(runner.isRunning('com.example.test')).toBe(false);
		expect(logs).toEqual(['hi {"n":1}', 'bye com.example.test']);
	});

	it('a bundle that throws while evaluated does not start', async () => {
		runner = new WorkerRunner();
		const r = await runner.start('com.example.test', 'throw new Error("nope")', manifest);
		expect(r).toEqual({ ok: false, message: 'the bundle threw: nope' });
		expect(runner.isRunning('com.example.test')).toBe(false);
	});

	it('a component that crashes later is reported Failed; one that ends by itself Stopped', async () => {
		runner = new WorkerRunner();
		const crashed = nextChange(runner);
		await runner.start('com.example.test', 'setTimeout(() => { throw new Error("late") }, 50)', manifest);
		expect(await crashed).toEqual({ key: 'com.example.test', operational: 'Failed', message: 'The component crashed: late' });
		expect(runner.isRunning('com.example.test')).toBe(false);

		const other = new WorkerRunner();
		const ended = nextChange(other);
		await other.start('com.example.test', 'scomo.log("done"); setTimeout(() => process.exit(0), 20)', manifest);
		expect(await ended).toMatchObject({ operational: 'Stopped' });
	});

	it('a stop handler that never finishes is cut off after the grace period', async () => {
		runner = new WorkerRunner();
		await runner.start('com.example.test', 'scomo.onStop(() => new Promise(() => {})); setInterval(() => {}, 1000);', manifest);
		expect(await runner.stop('com.example.test')).toEqual({ ok: true });
		expect(runner.isRunning('com.example.test')).toBe(false);
	});

	it('a component’s console output is captured, not mixed into the agent’s stdout', async () => {
		const logs: string[] = [];
		runner = new WorkerRunner((_id, text) => logs.push(text));
		await runner.start('com.example.test', 'console.log("from console")', manifest);
		const until = Date.now() + 10_000;
		while (!logs.includes('from console') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
		expect(logs).toContain('from console');
	});
});
