/**
 * The PWA's ComponentRunner: every running component gets its own hidden sandboxed iframe hosting one
 * dedicated Web Worker, created from a Blob URL, that evaluates the bundle (use case 5.6, SCOMO-HLFR-5).
 *
 * Why this design (components are untrusted code):
 * - The iframe has `sandbox="allow-scripts"` and NOT allow-same-origin, so it and the worker it creates run
 *   in an opaque origin: IndexedDB, Cache Storage, cookies and the service worker of the PWA are out of reach
 *   by construction, not by deleting globals (a harness that deletes `indexedDB` can be bypassed by a nested
 *   worker or a prototype lookup). Its CSP allows network access only with the 'network' permission.
 * - The bundle runs in a Worker, not in the iframe's document, so a busy loop cannot freeze the PWA's page.
 * - 'ui' components do not get a DOM: `scomo.render(html)` sends HTML that the PWA shows in a second iframe
 *   with an EMPTY sandbox (no scripts at all, opaque origin; see ComponentView.svelte). A view can thus be
 *   shown, moved or re-created by the page at any time without touching the running component.
 *
 * LwM2M Object 9 states, as the agent's worker-runner.ts: Running once the bundle evaluated; Stop runs the
 * onStop handlers, waits at most STOP_GRACE_MS, then removes the iframe (which ends the worker) → Stopped; an
 * uncaught error or unhandled rejection → Failed via onStateChange; `self.close()` by the component → Stopped.
 */
import type { Manifest } from '../contract';
import type { ComponentRunner, RunnerStateChange, StepOutcome } from '../device';
import { frameHtml } from './sandbox-harness';

export const STOP_GRACE_MS = 2000;
export const START_TIMEOUT_MS = 10_000;

export type RunnerObserver = {
	/** `key` is componentKey(maId, componentId): two MAs' same-named components have separate logs and views. */
	log?(key: string, text: string): void;
	render?(key: string, html: string | null): void;
};

type Live = {
	frame: HTMLIFrameElement;
	port: MessagePort;
	running: boolean;
	stopping: boolean;
	ui: boolean;
	stopped: () => void;
	stoppedPromise: Promise<void>;
};

type FromSandbox =
	| { type: 'running' | 'stopped' | 'exited' }
	| { type: 'start-failed' | 'crashed'; message: string }
	| { type: 'log'; text: string }
	| { type: 'render'; html: string };

/** Messages come from untrusted code (the component can post anything): accept only well-formed ones. */
function readMessage(data: unknown): FromSandbox | null {
	if (!data || typeof data !== 'object') return null;
	const d = data as Record<string, unknown>;
	const str = (x: unknown, max: number) => (typeof x === 'string' ? x.slice(0, max) : String(x ?? '').slice(0, max));
	switch (d.type) {
		case 'running':
		case 'stopped':
		case 'exited':
			return { type: d.type };
		case 'start-failed':
		case 'crashed':
			return { type: d.type, message: str(d.message, 400) };
		case 'log':
			return { type: 'log', text: str(d.text, 1000) };
		case 'render':
			return { type: 'render', html: str(d.html, 100_000) };
		default:
			return null;
	}
}

export class SandboxRunner implements ComponentRunner {
	private readonly live = new Map<string, Live>();
	private readonly listeners: ((c: RunnerStateChange) => void)[] = [];
	private host: HTMLElement | null = null;

	constructor(private readonly observer: RunnerObserver = {}) {}

	isRunning(key: string): boolean {
		return this.live.get(key)?.running ?? false;
	}

	onStateChange(listener: (c: RunnerStateChange) => void): void {
		this.listeners.push(listener);
	}

	/** The hidden container of the sandboxes: directly in <body>, outside the pages, so navigation keeps it. */
	private container(): HTMLElement {
		if (this.host?.isConnected) return this.host;
		const host = document.createElement('div');
		host.id = 'scomo-sandboxes';
		host.hidden = true;
		host.setAttribute('aria-hidden', 'true');
		document.body.appendChild(host);
		return (this.host = host);
	}

	start(key: string, code: string, manifest: Manifest): Promise<StepOutcome> {
		if (this.live.has(key)) return Promise.resolve({ ok: false, message: 'it is already running' });
		const ui = manifest.permissions.includes('ui');
		const network = manifest.permissions.includes('network');
		return new Promise<StepOutcome>((resolve) => {
			let settled = false;
			const settle = (o: StepOutcome) => {
				if (settled) return;
				settled = true;
				clearTimeout(timer);
				resolve(o);
			};
			const frame = document.createElement('iframe');
			frame.setAttribute('sandbox', 'allow-scripts');
			frame.title = `Sandbox of ${manifest.id}`;
			frame.srcdoc = frameHtml(network ? 'https: wss:' : "'none'");
			const channel = new MessageChannel();
			let markStopped!: () => void;
			const stoppedByHandlers = new Promise<void>((r) => (markStopped = r));
			const entry: Live = {
				frame,
				port: channel.port1,
				running: false,
				stopping: false,
				ui,
				stopped: markStopped,
				stoppedPromise: stoppedByHandlers
			};
			this.live.set(key, entry);

			const fail = (message: string) => {
				this.remove(key, entry);
				settle({ ok: false, message });
			};
			const timer = setTimeout(() => fail(`it did not finish starting within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);

			channel.port1.onmessage = (e) => {
				const m = readMessage(e.data);
				if (!m || this.live.get(key) !== entry) return;
				switch (m.type) {
					case 'running':
						if (!entry.running && !entry.stopping) {
							entry.running = true;
							settle({ ok: true });
						}
						break;
					case 'start-failed':
						if (!entry.running) fail(`the bundle threw: ${m.message}`);
						break;
					case 'log':
						this.observer.log?.(key, m.text);
						break;
					case 'render':
						if (entry.ui && entry.running) this.observer.render?.(key, m.html);
						break;
					case 'stopped':
						entry.stopped();
						break;
					case 'crashed':
					case 'exited':
						if (!entry.running) {
							fail(m.type === 'crashed' ? `it failed while starting: ${m.message}` : 'it exited at once');
						} else if (!entry.stopping) {
							this.remove(key, entry);
							const change: RunnerStateChange =
								m.type === 'crashed'
									? { key, operational: 'Failed', message: `The component crashed: ${m.message}` }
									: { key, operational: 'Stopped', message: 'The component ended by itself.' };
							for (const l of this.listeners) l(change);
						}
						break;
				}
			};
			channel.port1.start();
			frame.addEventListener(
				'load',
				() => {
					// '*' because the frame's origin is opaque; only the frame's own window can receive this.
					frame.contentWindow?.postMessage({ type: 'scomo:init', componentId: manifest.id, code, ui }, '*', [channel.port2]);
				},
				{ once: true }
			);
			this.container().appendChild(frame);
		});
	}

	async stop(key: string): Promise<StepOutcome> {
		const entry = this.live.get(key);
		if (!entry) return { ok: true };
		entry.stopping = true;
		entry.port.postMessage({ type: 'stop' });
		let grace: ReturnType<typeof setTimeout> | undefined;
		await Promise.race([entry.stoppedPromise, new Promise<void>((r) => (grace = setTimeout(r, STOP_GRACE_MS)))]);
		clearTimeout(grace);
		this.remove(key, entry);
		return { ok: true };
	}

	/** Removing the iframe discards its document, which ends the worker it owns. */
	private remove(key: string, entry: Live): void {
		entry.running = false;
		entry.port.close();
		entry.frame.remove();
		if (this.live.get(key) === entry) this.live.delete(key);
		if (entry.ui) this.observer.render?.(key, null);
	}
}
