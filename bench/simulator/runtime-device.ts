/**
 * One simulated device on the REAL device runtime (src/lib/device: Connection, Executor, LedgerKeeper,
 * enrollment) with the in-memory adapters: the same code the agent and the PWA run, so whatever the runtime
 * does per command (schema check, journal before ack, consent plan, progress, result outbox, and command
 * signature verification once that lands in the runtime) is part of every figure.
 *
 * The device starts with one component deployed, Active and Stopped (seeded into its ledger and package
 * store as if installed earlier), so relayed Start/Stop (SCOMO-HLFR-5) run for real.
 */
import {
	componentKey,
	DeviceRuntime,
	enrollDevice,
	generateEd25519,
	type ConsentPort,
	type RuntimeEvent,
	type Signer
} from '../../src/lib/device';
import { MemoryPackageStore, MemoryRunner, MemoryStateStore } from '../../src/lib/device/memory-adapters';
import type { Manifest } from '../../src/lib/contract';
import { wallNow, type Recorder } from './record';

export type SeedComponent = { maId: string; manifest: Manifest; sha256: string; bundle: string };

export type DeviceOptions = {
	serverUrl: string;
	localAddress?: string;
	seed: SeedComponent;
	recorder: Recorder;
};

/** Accepts everything and remembers nothing (ScriptedConsent keeps every prompt: too much for a fleet). */
const silentUser: ConsentPort = {
	ask: async () => 'accept',
	notify: () => {}
};

/** Set-up requests never hang the run: no answer in 30 s counts as a network failure. */
export const boundedFetch: typeof fetch = (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(30_000) });

const INFO = { manufacturer: 'Bench', model: 'Sim-1', baselineBuildId: 'bench-base-1', softwareVersion: '1.0.0' };

export interface SimDevice {
	readonly deviceId: string | null;
	readonly online: boolean;
	enroll(code: string): Promise<void>;
	/** Connect; `onConnected` once authenticated (device:info and inventory sent). */
	start(onConnected: () => void): Promise<void>;
	stop(): Promise<void>;
	/** Is the seeded component running on the device now (what the next Start/Stop must be)? */
	readonly componentRunning: boolean;
}

export class RuntimeSimDevice implements SimDevice {
	private readonly store = new MemoryStateStore();
	private readonly packages = new MemoryPackageStore();
	private readonly runner = new MemoryRunner();
	private signer: Signer | null = null;
	private runtime: DeviceRuntime | null = null;
	private onConnected: (() => void) | null = null;
	deviceId: string | null = null;

	constructor(private readonly o: DeviceOptions) {}

	get online(): boolean {
		return this.runtime?.online ?? false;
	}

	get componentRunning(): boolean {
		const item = this.runtime?.keeper.item(this.o.seed.maId, this.o.seed.manifest.id);
		return item?.component.stage === 'deployed' && item.component.operational === 'Running';
	}

	async enroll(code: string): Promise<void> {
		const keys = await generateEd25519(false);
		this.signer = keys.signer;
		let r = await enrollDevice(this.store, { serverUrl: this.o.serverUrl, code, signer: keys.signer, info: INFO, kind: 'agent', fetch: boundedFetch });
		// A request lost on the way (no answer in time) is sent once more; a code the server did use answers invalid.
		if (!r.ok && r.error.code === 'network') r = await enrollDevice(this.store, { serverUrl: this.o.serverUrl, code, signer: keys.signer, info: INFO, kind: 'agent', fetch: boundedFetch });
		if (!r.ok) throw new Error(`enrollment failed: ${r.error.code} ${r.error.message}`);
		this.deviceId = r.value.deviceId;
		const { seed } = this.o;
		await this.packages.put(componentKey(seed.maId, seed.manifest.id), seed.manifest.version, new TextEncoder().encode(seed.bundle));
		this.store.ledger.inventory.push({
			maId: seed.maId,
			manifest: seed.manifest,
			sha256: seed.sha256,
			component: { stage: 'deployed', componentId: seed.manifest.id, version: seed.manifest.version, state: 'Active', operational: 'Stopped' }
		});
		this.runtime = await DeviceRuntime.open({
			store: this.store,
			packages: this.packages,
			runner: this.runner,
			consent: silentUser,
			signer: this.signer,
			emit: (e) => this.observe(e),
			localAddress: this.o.localAddress,
			ackTimeoutMs: 30_000,
			maxBackoffMs: 5_000
		});
	}

	async start(onConnected: () => void): Promise<void> {
		if (!this.runtime) throw new Error('not enrolled');
		this.onConnected = onConnected;
		await this.runtime.start();
	}

	async stop(): Promise<void> {
		this.onConnected = null;
		await this.runtime?.stop(0);
	}

	private observe(e: RuntimeEvent): void {
		const rec = this.o.recorder;
		const id = this.deviceId ?? '?';
		switch (e.event) {
			case 'connected': {
				const cb = this.onConnected;
				this.onConnected = null;
				cb?.();
				break;
			}
			case 'commands': {
				const now = wallNow();
				const fresh = new Set(e.fresh);
				for (const c of e.correlators) {
					const r = rec.op(c, id);
					r.received++;
					r.firstReceivedAt ??= now;
					if (fresh.has(c)) r.fresh++;
					// The runtime verifies every set (MA signature, Merkle proof, replay window) before this event
					// and never lists a refused operation as fresh (it reports 'command-rejected' instead).
					if (fresh.has(c)) r.verified++;
				}
				break;
			}
			case 'command-rejected':
				rec.error(`${id} command rejected ${e.code}: ${e.message}`);
				break;
			case 'operation': {
				const r = rec.op(e.correlator, id);
				r.executed++;
				r.resultCode = e.resultCode;
				break;
			}
			case 'result-sent': {
				if (e.outcome !== 'acked') break;
				const r = rec.op(e.correlator, id);
				r.resultAcks++;
				r.ackedAt ??= wallNow();
				break;
			}
			case 'auth-failed':
			case 'server-error':
			case 'commands-invalid':
			case 'error':
				rec.error(`${id} ${e.event}: ${'message' in e ? e.message : ''}`);
				break;
		}
	}
}
