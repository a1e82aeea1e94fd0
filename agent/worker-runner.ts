/**
 * The agent's ComponentRunner: each component runs in its own worker thread (use case 5.6, SCOMO-HLFR-5).
 *
 * The bundle is a classic script evaluated inside a small harness that gives it
 * `globalThis.scomo = { componentId, onStop(fn), log(...args) }`. LwM2M Object 9 states:
 * - Initializing while the bundle evaluates, Running once it evaluated without throwing;
 * - Stop runs the onStop handlers, waits at most STOP_GRACE_MS, then terminates the thread → Stopped;
 * - an uncaught error, or the thread ending by itself with a non-zero code → Failed; ending with 0 → Stopped.
 */
import { Worker } from 'node:worker_threads';
import type { Manifest } from '../src/lib/contract';
import type { ComponentRunner, RunnerStateChange, StepOutcome } from '../src/lib/device';

export const STOP_GRACE_MS = 2000;
/** Longest a bundle may take to evaluate before its start counts as failed. */
export const START_TIMEOUT_MS = 10_000;

// Runs inside the worker (CommonJS, evaluated with `eval: true`); kept in plain JS so no loader is needed.
const HARNESS = `
const { parentPort, workerData } = require('node:worker_threads');
const vm = require('node:vm');
const stopHandlers = [];
const text = (a) => (typeof a === 'string' ? a : (() => { try { return JSON.stringify(a); } catch { return String(a); } })());
globalThis.scomo = Object.freeze({
	componentId: workerData.componentId,
	onStop(fn) { if (typeof fn === 'function') stopHandlers.push(fn); },
	log(...args) { parentPort.postMessage({ type: 'log', text: args.map(text).join(' ') }); }
});
parentPort.on('message', async (m) => {
	if (!m || m.type !== 'stop') return;
	for (const fn of stopHandlers) {
		try { await fn(); } catch (e) { parentPort.postMessage({ type: 'log', text: 'onStop failed: ' + (e && e.message || e) }); }
	}
	parentPort.postMessage({ type: 'stopped' });
});
try {
	vm.runInThisContext(workerData.code, { filename: workerData.filename });
	parentPort.postMessage({ type: 'running' });
} catch (e) {
	parentPort.postMessage({ type: 'start-failed', message: String((e && e.message) || e) });
}
`;

type Live = {
	worker: Worker;
	running: boolean;
	stopping: boolean;
	lastError: string | null;
	exited: Promise<number>;
	stoppedByHandlers: Promise<void>;
};

export type LogListener = (componentId: string, text: string) => void;

export class WorkerRunner implements ComponentRunner {
	private readonly live = new Map<string, Live>();
	private readonly listeners: ((c: RunnerStateChange) => void)[] = [];

	constructor(private readonly onLog: LogListener = () => {}) {}

	isRunning(key: string): boolean {
		return this.live.get(key)?.running ?? false;
	}

	onStateChange(listener: (c: RunnerStateChange) => void): void {
		this.listeners.push(listener);
	}

	start(key: string, code: string, manifest: Manifest): Promise<StepOutcome> {
		if (this.live.has(key)) return Promise.resolve({ ok: false, message: 'it is already running' });
		return new Promise<StepOutcome>((resolve) => {
			let settled = false;
			const settle = (o: StepOutcome) => {
				if (settled) return;
				settled = true;
				clearTimeout(timer);
				resolve(o);
			};
			const worker = new Worker(HARNESS, {
				eval: true,
				// The component sees its own ID; the runner files it under owner + ID (two MAs may share an ID).
				workerData: { componentId: manifest.id, code, filename: `${manifest.id}/${manifest.entry}` },
				// Captured, so a component's console output never mixes with the agent's JSON lines.
				stdout: true,
				stderr: true,
				resourceLimits: { maxOldGenerationSizeMb: 128 }
			});
			let markHandlersDone!: () => void;
			let markExited!: (code: number) => void;
			const entry: Live = {
				worker,
				running: false,
				stopping: false,
				lastError: null,
				stoppedByHandlers: new Promise<void>((r) => (markHandlersDone = r)),
				exited: new Promise<number>((r) => (markExited = r))
			};
			this.live.set(key, entry);
			const timer = setTimeout(() => {
				settle({ ok: false, message: `it did not finish starting within ${START_TIMEOUT_MS} ms` });
				entry.stopping = true;
				void worker.terminate();
			}, START_TIMEOUT_MS);
			for (const stream of [worker.stdout, worker.stderr]) {
				stream.setEncoding('utf8');
				stream.on('data', (d: string) => {
					for (const line of d.split('\n')) if (line.trim()) this.onLog(manifest.id, line);
				});
			}
			worker.on('message', (m: { type: string; text?: string; message?: string }) => {
				if (m.type === 'running') {
					entry.running = true;
					settle({ ok: true });
				} else if (m.type === 'start-failed') {
					entry.lastError = m.message ?? 'the bundle threw';
					entry.stopping = true;
					settle({ ok: false, message: `the bundle threw: ${entry.lastError}` });
					void worker.terminate();
				} else if (m.type === 'log') {
					this.onLog(manifest.id, m.text ?? '');
				} else if (m.type === 'stopped') {
					markHandlersDone();
				}
			});
			worker.on('error', (e) => {
				entry.lastError = e.message;
				settle({ ok: false, message: `it failed while starting: ${e.message}` });
			});
			worker.on('exit', (exitCode) => {
				this.live.delete(key);
				markExited(exitCode);
				const message = entry.lastError ?? `it exited with code ${exitCode}`;
				settle({ ok: false, message });
				if (entry.running && !entry.stopping) {
					entry.running = false;
					const change: RunnerStateChange = {
						key,
						operational: exitCode === 0 && !entry.lastError ? 'Stopped' : 'Failed',
						message: entry.lastError ? `The component crashed: ${entry.lastError}` : `The component exited with code ${exitCode}.`
					};
					for (const l of this.listeners) l(change);
				}
				entry.running = false;
			});
		});
	}

	async stop(key: string): Promise<StepOutcome> {
		const entry = this.live.get(key);
		if (!entry) return { ok: true };
		entry.stopping = true;
		entry.worker.postMessage({ type: 'stop' });
		let grace: ReturnType<typeof setTimeout> | undefined;
		await Promise.race([
			entry.stoppedByHandlers,
			entry.exited,
			new Promise<void>((r) => (grace = setTimeout(r, STOP_GRACE_MS)))
		]);
		clearTimeout(grace);
		await entry.worker.terminate();
		await entry.exited;
		return { ok: true };
	}

	/** Stops every component (agent shutdown) without reporting it: the inventory keeps them Running. */
	async stopAll(): Promise<void> {
		await Promise.all([...this.live.keys()].map((id) => this.stop(id)));
	}
}
