/**
 * In-memory adapters of every port, for unit tests of the runtime (and a reference for new adapters).
 * They keep what a durable store would keep (deep copies), so a "restart" is a new runtime on the same objects.
 */
import type { Manifest } from '../contract';
import type {
	ComponentRunner,
	ConsentPort,
	ConsentRequest,
	Identity,
	Ledger,
	Notice,
	PackageStore,
	RunnerStateChange,
	StateStore,
	StepOutcome,
	UserChoice
} from './ports';
import { emptyLedger } from './ports';
import type { PackageKeys } from './package-check';
import type { Verdict } from './verify';

export class MemoryStateStore implements StateStore {
	identity: Identity | null = null;
	ledger: Ledger = emptyLedger();
	choices: Record<string, UserChoice> = {};
	writes = 0;
	/** Makes the next N ledger writes fail, as a full disk would. */
	failNextWrites = 0;

	async readIdentity() {
		return this.identity ? structuredClone(this.identity) : null;
	}
	async writeIdentity(identity: Identity) {
		this.identity = structuredClone(identity);
	}
	async readLedger() {
		return structuredClone(this.ledger);
	}
	async writeLedger(ledger: Ledger) {
		if (this.failNextWrites > 0) {
			this.failNextWrites--;
			throw new Error('disk full');
		}
		this.writes++;
		this.ledger = structuredClone(ledger);
	}
	async readChoices() {
		return { ...this.choices };
	}
	async writeChoices(choices: Record<string, UserChoice>) {
		this.choices = { ...choices };
	}
}

export class MemoryPackageStore implements PackageStore {
	readonly bundles = new Map<string, Uint8Array>();
	private key = (id: string, version: string) => `${id}@${version}`;
	async put(id: string, version: string, bytes: Uint8Array) {
		this.bundles.set(this.key(id, version), bytes.slice());
	}
	async get(id: string, version: string) {
		return this.bundles.get(this.key(id, version)) ?? null;
	}
	async delete(id: string, version?: string) {
		for (const k of [...this.bundles.keys()]) {
			if (version === undefined ? k.startsWith(`${id}@`) : k === this.key(id, version)) this.bundles.delete(k);
		}
	}
	versions(id: string): string[] {
		return [...this.bundles.keys()].filter((k) => k.startsWith(`${id}@`)).map((k) => k.slice(id.length + 1));
	}
}

/** Runs nothing; a bundle whose code contains `throw` fails to start. crash() simulates a crash later. */
export class MemoryRunner implements ComponentRunner {
	readonly running = new Map<string, string>();
	readonly started: string[] = [];
	private listeners: ((c: RunnerStateChange) => void)[] = [];
	async start(id: string, code: string, _manifest: Manifest): Promise<StepOutcome> {
		if (this.running.has(id)) return { ok: false, message: 'already running' };
		if (code.includes('throw')) return { ok: false, message: 'the bundle threw while starting' };
		this.running.set(id, code);
		this.started.push(id);
		return { ok: true };
	}
	async stop(id: string): Promise<StepOutcome> {
		this.running.delete(id);
		return { ok: true };
	}
	isRunning(id: string) {
		return this.running.has(id);
	}
	onStateChange(listener: (c: RunnerStateChange) => void) {
		this.listeners.push(listener);
	}
	crash(id: string) {
		this.running.delete(id);
		for (const l of this.listeners) l({ key: id, operational: 'Failed', message: 'crashed' });
	}
}

/** Answers prompts from a script (default accept) and records prompts and notices. */
export class ScriptedConsent implements ConsentPort {
	readonly asked: ConsentRequest[] = [];
	readonly notices: Notice[] = [];
	constructor(public answer: 'accept' | 'refuse' | (() => Promise<'accept' | 'refuse'>) = 'accept') {}
	async ask(request: ConsentRequest) {
		this.asked.push(request);
		return typeof this.answer === 'function' ? this.answer() : this.answer;
	}
	notify(notice: Notice) {
		this.notices.push(notice);
	}
}

/**
 * An explicit fake verifier for tests of the executor on its own: every set passes and nothing is remembered.
 * Signature checks have their own tests (verify.test.ts) and run for real wherever a runtime is built.
 */
export const acceptEverySet = async (): Promise<Verdict> => ({ rejected: new Map(), remember() {} });

/** No sealing and no pinned MA keys: the package check is size and digest only (package-check.ts). */
export const digestOnlyPackageKeys: PackageKeys = { decrypter: null, requireSealed: () => false, maKeys: () => [] };
