/**
 * The device PWA's one runtime per page load (a module singleton the device layout starts): the shared device
 * runtime (src/lib/device) with the browser adapters of this folder, and Svelte stores the pages render.
 *
 * - One tab runs the runtime (Web Locks): two tabs with the same device key would both execute commands.
 * - It connects to the same origin's socket.io. When the browser goes offline the connection is closed at
 *   once (results then wait in the ledger's outbox, SCOMO "asynchronous results") and reopened when it is
 *   back online; the journal and the outbox survive reloads (IndexedDB), so do pending correlators.
 */
import { enrollCodeProblem } from './enroll-words';
import { browser, version } from '$app/environment';
import { get, writable, type Readable } from 'svelte/store';
import type { CatalogEntry, DeviceInfoMsg, DeviceRequestMsg, ProgressMsg } from '../contract';
import {
	DeviceRuntime,
	componentKey,
	emptyLedger,
	enrollDevice,
	errorMessage,
	type Identity,
	type Ledger,
	type Notice,
	type RuntimeEvent,
	type Signer,
	type Decrypter,
	type UserChoice
} from '../device';
import { browserName, browserPlatform, pwaBaseline } from './baseline';
import { loadOrCreateSigner } from './browser-signer';
import { loadOrCreateDecrypter } from './browser-decrypter';
import { openDeviceDb, type DeviceDb, type NoticeRecord } from './db';
import { IndexedDbPackageStore } from './indexeddb-package-store';
import { IndexedDbStateStore } from './indexeddb-state-store';
import { NoticeLog } from './notice-log';
import { ObservedStateStore } from './observed-state-store';
import { PromptConsent, type PendingPrompt } from './prompt-consent';
import { SandboxRunner } from './sandbox-runner';

export type Phase = 'starting' | 'other-tab' | 'unenrolled' | 'ready' | 'failed';
export type AppState = { phase: Phase; message?: string };
export type LinkState = 'offline' | 'connecting' | 'online';

const LOCK = 'scomo-device-runtime';
/** Log lines kept per running component. */
const KEPT_LOG_LINES = 30;

export function deviceInfo(): DeviceInfoMsg {
	const platform = browserPlatform();
	const name = browserName();
	return {
		manufacturer: name.slice(0, 80),
		model: `${name} on ${platform}`.slice(0, 80),
		// SCOMO-HLFR-9: only used at the FIRST enrollment; enrollDevice keeps the stored info afterwards.
		baselineBuildId: pwaBaseline(version, platform),
		softwareVersion: `SCOMO Relay PWA ${version}`.slice(0, 80)
	};
}

class DeviceApp {
	readonly state = writable<AppState>({ phase: 'starting' });
	readonly identity = writable<Identity | null>(null);
	readonly ledger = writable<Ledger>(emptyLedger());
	readonly choices = writable<Record<string, UserChoice>>({});
	readonly link = writable<LinkState>('connecting');
	readonly logs = writable<Record<string, string[]>>({});
	/** HTML last rendered by each running 'ui' component (shown in a script-less sandboxed iframe). */
	readonly views = writable<Record<string, string>>({});
	/** The runtime's recent events, for the diagnostics section. */
	readonly events = writable<(RuntimeEvent & { at: number })[]>([]);
	/**
	 * What the device last reported of each operation under way (phase, download bytes), by correlator, as the
	 * console sees it; dropped when the operation's result is recorded.
	 */
	readonly progress = writable<Record<string, ProgressMsg>>({});
	private readonly noticeStore = writable<NoticeRecord[]>([]);

	readonly consent = new PromptConsent({
		expiresAt: (request) => this.expiryOf(request.operations.map((o) => o.correlator)),
		notice: (n) => void this.notify(n)
	});

	private db: DeviceDb | null = null;
	private store: ObservedStateStore | null = null;
	private packages: IndexedDbPackageStore | null = null;
	private noticeLog: NoticeLog | null = null;
	private signer: Signer | null = null;
	/** ECDH key the server seals packages to (SCOMO-SEC-03); non-extractable, in IndexedDB. */
	private decrypter: Decrypter | null = null;
	private runtime: DeviceRuntime | null = null;
	private readonly runner = new SandboxRunner({
		log: (id, text) =>
			this.logs.update((l) => ({ ...l, [id]: [...(l[id] ?? []), text].slice(-KEPT_LOG_LINES) })),
		render: (id, html) =>
			this.views.update((v) => {
				const next = { ...v };
				if (html === null) delete next[id];
				else next[id] = html;
				return next;
			})
	});
	private booting: Promise<void> | null = null;
	/** start/stop of the runtime, one at a time (a reconnection never overlaps a restore). */
	private chain: Promise<unknown> = Promise.resolve();

	get prompts(): Readable<PendingPrompt[]> {
		return this.consent.prompts;
	}
	get notices(): Readable<NoticeRecord[]> {
		return this.noticeStore;
	}

	/** Starts everything once per page load; every page may await it. */
	init(): Promise<void> {
		if (!browser) return Promise.resolve();
		return (this.booting ??= this.boot().catch((e: unknown) => this.state.set({ phase: 'failed', message: errorMessage(e) })));
	}

	private async boot(): Promise<void> {
		const db = (this.db = await openDeviceDb());
		this.store = new ObservedStateStore(new IndexedDbStateStore(db), {
			identity: (i) => this.identity.set(i),
			ledger: (l) => this.ledger.set(l),
			choices: (c) => this.choices.set(c)
		});
		this.packages = new IndexedDbPackageStore(db);
		this.noticeLog = new NoticeLog(db);
		this.noticeLog.notices.subscribe((n) => this.noticeStore.set(n));
		await this.noticeLog.load();
		// Show the stored state at once, even before (or without) the lock and the connection; read it again
		// once this tab holds the lock, since another tab may have changed it meanwhile.
		await this.readStored();
		await this.acquireLock();
		await this.readStored();
		this.signer = await loadOrCreateSigner(db);
		this.decrypter = await loadOrCreateDecrypter(db);
		if (!get(this.identity)) {
			this.state.set({ phase: 'unenrolled' });
			return;
		}
		await this.openRuntime();
	}

	private async readStored(): Promise<void> {
		this.identity.set(await this.store!.readIdentity());
		this.ledger.set(await this.store!.readLedger());
		this.choices.set(await this.store!.readChoices());
	}

	/** Only one tab runs the runtime; another one waits and takes over when the first closes. */
	private async acquireLock(): Promise<void> {
		if (!navigator.locks) return;
		const hold = () => new Promise<never>(() => {});
		const got = await new Promise<boolean>((resolve) => {
			void navigator.locks.request(LOCK, { ifAvailable: true }, (lock) => {
				resolve(lock !== null);
				return lock ? hold() : null;
			});
		});
		if (got) return;
		this.state.set({ phase: 'other-tab' });
		await new Promise<void>((resolve) => {
			void navigator.locks.request(LOCK, () => {
				resolve();
				return hold();
			});
		});
	}

	private serialize<T>(fn: () => Promise<T>): Promise<T> {
		const next = this.chain.then(fn, fn);
		this.chain = next.catch(() => {});
		return next;
	}

	private async openRuntime(): Promise<void> {
		this.runtime = await DeviceRuntime.open({
			store: this.store!,
			packages: this.packages!,
			runner: this.runner,
			consent: this.consent,
			signer: this.signer!,
			decrypter: this.decrypter ?? undefined,
			emit: (e) => this.onEvent(e)
		});
		if (!this.runtime) {
			this.state.set({ phase: 'unenrolled' });
			return;
		}
		this.state.set({ phase: 'ready' });
		addEventListener('offline', () => void this.serialize(() => this.disconnect()));
		addEventListener('online', () => void this.serialize(() => this.connect()));
		await this.serialize(() => this.connect());
	}

	/**
	 * (Re)connects: closes any previous connection first (runtime.start() opens a new one each time). Offline,
	 * start() still restores the components and resumes the journal (prompts reappear); results wait in the
	 * outbox and socket.io keeps retrying until the 'online' event reconnects at once.
	 */
	private async connect(): Promise<void> {
		if (!this.runtime) return;
		await this.runtime.stop(0);
		this.link.set(navigator.onLine ? 'connecting' : 'offline');
		await this.runtime.start();
	}

	private async disconnect(): Promise<void> {
		this.link.set('offline');
		// No grace: a prompt may be open; its set stays in the journal and goes on when it is answered.
		await this.runtime?.stop(0);
	}

	private onEvent(e: RuntimeEvent): void {
		if (e.event === 'progress') {
			// Byte ticks would crowd the diagnostics list out; they only move the bar.
			const { event: _e, ...msg } = e;
			this.progress.update((p) => ({ ...p, [msg.correlator]: msg }));
			return;
		}
		if (e.event === 'operation' || e.event === 'withdrawn' || e.event === 'command-rejected') {
			const done = e.event === 'operation' ? [e.correlator] : e.correlators;
			this.progress.update((p) => Object.fromEntries(Object.entries(p).filter(([c]) => !done.includes(c))));
		}
		this.events.update((list) => [...list, { ...e, at: Date.now() }].slice(-50));
		if (e.event === 'connected') this.link.set('online');
		else if (e.event === 'disconnected') this.link.set(navigator.onLine ? 'connecting' : 'offline');
		else if (e.event === 'operation') this.maybeTellCompletion(e.correlator);
	}

	/**
	 * SCOMO-USA-2 for confirmed sets: the user accepted, so tell them when the whole set has completed. (Notify
	 * mode is told by the runtime itself; silent mode is not told, SCOMO-USA-5.)
	 */
	private maybeTellCompletion(correlator: string): void {
		const keeper = this.runtime?.keeper;
		if (!keeper) return;
		const entry = keeper.ledger.journal.find((j) => j.set.operations.some((o) => o.correlator === correlator));
		if (!entry || entry.set.consentMode !== 'confirm' || entry.consent !== 'accepted') return;
		const results = entry.set.operations.map((o) => ({ op: o, stored: keeper.result(o.correlator) }));
		if (results.some((r) => !r.stored)) return;
		void this.notify({
			kind: 'after',
			maId: entry.set.maId,
			maName: entry.set.maName,
			results: results.map(({ op, stored }) => ({
				correlator: op.correlator,
				kind: op.kind,
				componentId: stored!.result.componentId,
				resultCode: stored!.result.resultCode,
				message: stored!.result.message
			}))
		});
	}

	private expiryOf(correlators: string[]): number | null {
		const entry = this.runtime?.keeper.ledger.journal.find((j) => j.set.operations.some((o) => correlators.includes(o.correlator)));
		return entry?.set.expiresAt ?? null;
	}

	private async notify(n: Notice): Promise<void> {
		try {
			await this.noticeLog?.add(n);
		} catch (e) {
			this.onEvent({ event: 'error', where: 'notices', message: errorMessage(e) });
		}
	}

	// ---------- user actions ----------

	/** Enrollment with a one-time code; a device already enrolled keeps its key, ID and baseline (SCOMO-HLFR-9). */
	async enroll(code: string): Promise<{ ok: true; maName: string } | { ok: false; message: string }> {
		await this.init();
		const phase = get(this.state).phase;
		if (phase === 'other-tab') return { ok: false, message: 'The device app is open in another tab; enroll there.' };
		if (!this.store || !this.signer) return { ok: false, message: get(this.state).message ?? 'The device app could not start.' };
		const r = await enrollDevice(this.store, {
			serverUrl: location.origin,
			code: code.trim(),
			signer: this.signer,
			encryptionKey: this.decrypter?.publicKey,
			kind: 'pwa',
			info: deviceInfo()
		});
		if (!r.ok) return { ok: false, message: enrollMessage(r.error.code, r.error.message, r.error.reason) };
		const ma = r.value.mas.at(-1)!;
		// Enrolling again with an MA the user had left or blocked means they want it back: ask again.
		const choices = await this.store.readChoices();
		if (choices[ma.maId] === 'block') await this.setChoice(ma.maId, 'ask');
		if (this.runtime) {
			// The same runtime; a new connection so the server puts the device in the new MA's rooms.
			await this.serialize(() => this.connect());
		} else {
			await this.openRuntime();
		}
		return { ok: true, maName: ma.name };
	}

	answer(promptId: number, decision: 'accept' | 'refuse'): void {
		this.consent.answer(promptId, decision);
	}

	async setChoice(maId: string, choice: UserChoice): Promise<void> {
		if (this.runtime) await this.runtime.setChoice(maId, choice);
		else if (this.store) await this.store.writeChoices({ ...(await this.store.readChoices()), [maId]: choice });
	}

	/**
	 * Leave an MA: its open prompts are refused, its components stopped and removed from the device, and it is
	 * blocked, so whatever it still sends ends with 1401 and a record (the server has no "leave" endpoint yet:
	 * the device keeps its enrollment there, and the next connection reports the inventory without them).
	 */
	async leave(maId: string): Promise<void> {
		const runtime = this.runtime;
		const store = this.store!;
		await this.setChoice(maId, 'block');
		this.consent.refuseAll(maId);
		if (runtime) {
			const mine = runtime.keeper.ledger.inventory.filter((i) => i.maId === maId);
			for (const item of mine) {
				const key = componentKey(maId, item.component.componentId);
				await this.runner.stop(key);
				await this.packages!.delete(key);
			}
			await runtime.keeper.commit((l) => {
				l.inventory = l.inventory.filter((i) => i.maId !== maId);
			});
		}
		const identity = await store.readIdentity();
		if (identity) await store.writeIdentity({ ...identity, mas: identity.mas.filter((m) => m.maId !== maId) });
		if (runtime) {
			await this.serialize(() => this.connect());
		}
	}

	/** SCOMO-Device-06: an MA's catalog for this device. */
	async catalog(maId: string): Promise<CatalogEntry[]> {
		if (!this.runtime) throw new Error('This device is not enrolled.');
		return this.runtime.catalog(maId);
	}

	async request(msg: DeviceRequestMsg) {
		if (!this.runtime) return { ok: false as const, code: 'not_enrolled', message: 'This device is not enrolled.' };
		return this.runtime.request(msg);
	}

	dismissNotice(id: number): Promise<void> {
		return this.noticeLog?.dismiss(id) ?? Promise.resolve();
	}

	dismissAllNotices(): Promise<void> {
		return this.noticeLog?.dismissAll() ?? Promise.resolve();
	}
}

function enrollMessage(code: string, message: string, reason?: string): string {
	switch (code) {
		case 'enrollment_code_invalid':
			return enrollCodeProblem(reason);
		case 'network':
			return 'The server could not be reached. Check the connection and try again.';
		case 'device_auth_failed':
			return 'The server did not accept this device’s key.';
		default:
			return message;
	}
}

export const deviceApp = new DeviceApp();
