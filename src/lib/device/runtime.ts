/**
 * The device runtime: one object the agent and the PWA create with their adapters. It restores the
 * components that were running, finishes what the journal holds, connects to the server and keeps the
 * operational state of components current.
 *
 * Restart policy (documented choice): a component that was Running (or Initializing) when the device stopped
 * is started again when the runtime starts, like a service manager restoring its services; if that fails it is
 * reported Failed. ShuttingDown becomes Stopped. So the inventory the server sees after a restart tells the truth.
 */
import { isLive, type OperationalState } from '../core';
import { Decommission, Withdraw, parse, type CatalogEntry, type DecommissionAck, type DeviceRequestMsg, type WithdrawAck } from '../contract';
import { eraseMaData } from './decommission';
import { Connection } from './connection';
import { componentKey } from './component-key';
import { sha256Hex } from './crypto';
import { errorMessage, wireText, type EventSink } from './events';
import { Executor } from './executor';
import { inventoryWithheld } from './consent';
import { LedgerKeeper, nextSeq } from './ledger';
import { offlineLink, type DeviceLink } from './link';
import { CommandVerifier } from './verify';
import { pinnedMaKeys } from './package-check';
import {
	systemClock,
	type Clock,
	type ComponentRunner,
	type ConsentPort,
	type Decrypter,
	type Identity,
	type InventoryItem,
	type PackageStore,
	type RunnerStateChange,
	type Signer,
	type StateStore,
	type UserChoice
} from './ports';

export type RuntimeDeps = {
	store: StateStore;
	packages: PackageStore;
	runner: ComponentRunner;
	consent: ConsentPort;
	signer: Signer;
	clock?: Clock;
	emit?: EventSink;
	ackTimeoutMs?: number;
	maxBackoffMs?: number;
	/** SCOMO-SEC-03: the device's encryption key; packages sealed to it are opened before the checks. */
	decrypter?: Decrypter;
	/** Local source address of the connection (Node only; see ConnectionOptions.localAddress). */
	localAddress?: string;
};

const decoder = new TextDecoder();

export class DeviceRuntime {
	private connection: Connection | null = null;
	/** Decommissions one at a time (a re-sent one waits for the first and then finds nothing left). */
	private decommissioning: Promise<unknown> = Promise.resolve();
	private readonly executor: Executor;
	private readonly verifier: CommandVerifier;
	private readonly emit: EventSink;

	private constructor(
		private readonly d: RuntimeDeps,
		private identity: Identity,
		readonly keeper: LedgerKeeper
	) {
		this.emit = d.emit ?? (() => {});
		// SCOMO-SEC-01: every command set is verified against the MA keys this device pinned (verify.ts).
		const verifier = (this.verifier = new CommandVerifier({
			identity: async () => (this.identity = (await d.store.readIdentity()) ?? this.identity),
			saveIdentity: async (identity) => {
				this.identity = identity;
				await d.store.writeIdentity(identity);
			},
			ledger: () => keeper.ledger,
			clock: d.clock ?? systemClock,
			emit: this.emit
		}));
		this.executor = new Executor({
			keeper,
			store: d.store,
			packages: d.packages,
			runner: d.runner,
			consent: d.consent,
			clock: d.clock ?? systemClock,
			baseline: () => this.identity.baselineBuildId,
			link: () => this.link(),
			emit: this.emit,
			verify: (set) => verifier.verify(set),
			packageKeys: {
				decrypter: d.decrypter ?? null,
				requireSealed: () => Boolean(this.identity.encryptionKey),
				maKeys: (maId) => pinnedMaKeys(this.identity, maId, (d.clock ?? systemClock).now())
			}
		});
		d.runner.onStateChange((c) => void this.onRunnerChange(c));
	}

	/** Opens an enrolled device's state; null when the device has not enrolled yet. */
	static async open(deps: RuntimeDeps): Promise<DeviceRuntime | null> {
		const identity = await deps.store.readIdentity();
		if (!identity) return null;
		return new DeviceRuntime(deps, identity, await LedgerKeeper.load(deps.store));
	}

	get deviceId(): string {
		return this.identity.deviceId;
	}

	get online(): boolean {
		return this.connection?.online ?? false;
	}

	private link(): DeviceLink {
		return this.connection ?? offlineLink;
	}

	/** Restore components, resume the journal (offline, the results wait in the outbox), then connect. */
	async start(): Promise<void> {
		this.executor.resume();
		await this.restore();
		this.connection = new Connection({
			serverUrl: this.identity.serverUrl,
			deviceId: this.identity.deviceId,
			signer: this.d.signer,
			// The pinned trust sequence per MA rides along, so a server restored from a backup continues above it.
			info: () => ({ ...this.identity.info, trust: this.identity.mas.flatMap((m) => (m.trust ? [{ maId: m.maId, seq: m.trust.seq }] : [])) }),
			inventory: async () => {
				const withheld = await this.withheldMas();
				return { components: this.keeper.shareableComponents(withheld), seq: this.keeper.seq, withheld: [...withheld] };
			},
			onCommands: (raw) => this.executor.receive(raw),
			onReady: () => this.executor.kick(),
			onWithdraw: (raw) => this.withdraw(raw),
			onDecommission: (raw) => this.decommission(raw),
			onRequestDecided: (m) =>
				this.d.consent.notify({ kind: 'request-decided', requestId: m.requestId, status: m.status, message: m.message }),
			emit: this.emit,
			ackTimeoutMs: this.d.ackTimeoutMs,
			maxBackoffMs: this.d.maxBackoffMs,
			localAddress: this.d.localAddress
		});
		// Resume the journal now: what needs the server (a download) waits for the connection.
		this.executor.kick();
		this.connection.connect();
	}

	/**
	 * Disconnects and waits (at most `graceMs`, e.g. not for a prompt nobody answers) for the work in hand.
	 * Whatever is cut short stays in the journal and runs again on the next start. Components keep their
	 * recorded state for the next start.
	 */
	async stop(graceMs = 5000): Promise<void> {
		this.executor.halt();
		this.connection?.close();
		this.connection = null;
		let timer: ReturnType<typeof setTimeout> | undefined;
		await Promise.race([this.executor.idle(), new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
		clearTimeout(timer);
	}

	/** Resolves when no command set is being executed and no result is being sent. */
	idle(): Promise<void> {
		return this.executor.idle();
	}

	async setChoice(maId: string, choice: UserChoice): Promise<void> {
		const choices = await this.d.store.readChoices();
		choices[maId] = choice;
		await this.d.store.writeChoices(choices);
	}

	/** SCOMO-Device-06: ask an MA for an install or update from its catalog. */
	async request(msg: DeviceRequestMsg) {
		if (!this.connection?.online) return { ok: false as const, code: 'offline', message: 'Not connected to the server.' };
		return this.connection.request(msg);
	}

	async catalog(maId: string): Promise<CatalogEntry[]> {
		if (!this.connection?.online) throw new Error('Not connected to the server.');
		return this.connection.catalog(maId);
	}

	/** The MA withdraws delivered operations (cancel): only a withdrawal signed by a key pinned for it counts. */
	private async withdraw(raw: unknown): Promise<WithdrawAck> {
		const msg = parse(Withdraw, raw);
		if (!msg.ok) return { ok: false, code: 'invalid_request', message: msg.issues.map((i) => `${i.path}: ${i.message}`).join('; ') };
		const checked = await this.verifier.verifyWithdrawal(msg.value);
		if (!checked.ok) {
			this.emit({ event: 'withdraw-refused', maId: msg.value.maId, code: checked.code, message: checked.message });
			return checked;
		}
		const r = await this.executor.withdraw({ maId: msg.value.maId, maName: checked.maName, correlators: msg.value.correlators });
		return { ok: true, ...r };
	}

	/**
	 * The MA decommissions this device (issue #17). Only a decommission signed by a key pinned for the MA, for
	 * this device and this enrollment, erases anything (verify.ts verifyDecommission); then the MA's components,
	 * journal, results and trust go (decommission.ts), the user is told, and the ack says what was erased. An MA
	 * this device does not hold (erased already: the first ack was lost) is answered done, with nothing erased.
	 * With no MA left, the device stops connecting once the ack is out: it has no one to talk to until enrolled again.
	 */
	decommission(raw: unknown): Promise<DecommissionAck> {
		const run = this.decommissioning.then(() => this.decommissionNow(raw));
		this.decommissioning = run.catch(() => {});
		return run;
	}

	private async decommissionNow(raw: unknown): Promise<DecommissionAck> {
		const msg = parse(Decommission, raw);
		if (!msg.ok) return { ok: false, code: 'invalid_request', message: msg.issues.map((i) => `${i.path}: ${i.message}`).join('; ') };
		const { maId, deviceId } = msg.value;
		const identity = (this.identity = (await this.d.store.readIdentity()) ?? this.identity);
		const holds = identity.mas.some((m) => m.maId === maId) || this.keeper.ledger.inventory.some((i) => i.maId === maId);
		if (!holds && deviceId === identity.deviceId) return { ok: true, erased: [], held: false };
		const checked = await this.verifier.verifyDecommission(msg.value);
		if (!checked.ok) {
			this.emit({ event: 'decommission-refused', maId, code: checked.code, message: checked.message });
			return checked;
		}
		await this.executor.forgetMa(maId);
		let erased: { erased: string[]; names: string[] };
		try {
			erased = await eraseMaData({ keeper: this.keeper, runner: this.d.runner, packages: this.d.packages, store: this.d.store, emit: this.emit }, maId);
		} finally {
			this.executor.forgotMa(maId);
		}
		this.identity = (await this.d.store.readIdentity()) ?? this.identity;
		const remainingMas = this.identity.mas.length;
		this.d.consent.notify({ kind: 'decommissioned', maId, maName: checked.maName, components: erased.names });
		this.emit({ event: 'decommissioned', maId, maName: checked.maName, erased: erased.erased, remainingMas });
		if (remainingMas === 0) {
			// After the ack has left (the connection answers once this resolves).
			const connection = this.connection;
			setTimeout(() => {
				if (this.connection === connection && this.identity.mas.length === 0) connection?.close();
			}, 200);
		}
		return { ok: true, erased: erased.erased, held: true };
	}

	/** Applies the restart policy (see the top of this file); start() calls it first. */
	async restore(): Promise<void> {
		for (const item of this.keeper.ledger.inventory) {
			const c = item.component;
			const key = componentKey(item.maId, c.componentId);
			await this.moveLegacyBundle(key, item);
			if (c.stage !== 'deployed') continue;
			let operational: OperationalState = c.operational;
			if (c.operational === 'ShuttingDown') operational = 'Stopped';
			if (isLive(c) && !this.d.runner.isRunning(key)) {
				const bytes = await this.d.packages.get(key, c.version);
				const r = bytes
					? await this.d.runner.start(key, decoder.decode(bytes), item.manifest).catch((e: unknown) => ({
							ok: false as const,
							message: errorMessage(e)
						}))
					: { ok: false as const, message: 'its package is missing' };
				operational = r.ok ? 'Running' : 'Failed';
				if (!r.ok) this.emit({ event: 'component-state', componentId: c.componentId, operational, message: r.message });
			}
			if (operational !== c.operational) {
				await this.keeper.commit((l) => {
					item.component = { ...c, operational };
					nextSeq(l);
				});
			}
		}
	}

	/**
	 * A bundle stored before component IDs were namespaced per MA sits under the bare ID. Then an ID had one
	 * owner on the device, so it is this item's: moved under its key, but only when its digest is the one the
	 * item recorded (never another MA's bytes).
	 */
	private async moveLegacyBundle(key: string, item: InventoryItem): Promise<void> {
		const { componentId, version } = item.component;
		try {
			if (await this.d.packages.get(key, version)) return;
			const legacy = await this.d.packages.get(componentId, version);
			if (!legacy || (await sha256Hex(legacy)) !== item.sha256) return;
			await this.d.packages.put(key, version, legacy);
			await this.d.packages.delete(componentId, version);
		} catch (e) {
			this.emit({ event: 'error', where: 'restore', message: errorMessage(e) });
		}
	}

	/** The MAs whose components the user does not let unsolicited reports show (consent.ts inventoryWithheld). */
	private async withheldMas(): Promise<Set<string>> {
		// The identity as stored: an MA the user has left is no longer enrolled, so it is not withheld but gone
		// (its components are off the device and the report says so); the copy in memory may predate the leave.
		this.identity = (await this.d.store.readIdentity()) ?? this.identity;
		const choices = await this.d.store.readChoices();
		const refused = this.keeper.ledger.withheld ?? [];
		return new Set(this.identity.mas.map((m) => m.maId).filter((maId) => inventoryWithheld(maId, choices[maId] ?? 'ask', refused)));
	}

	/** A component crashed or exited on its own: record it and tell the server (LwM2M Object 9 states). */
	private async onRunnerChange(change: RunnerStateChange): Promise<void> {
		const item = this.keeper.ledger.inventory.find((i) => componentKey(i.maId, i.component.componentId) === change.key);
		if (!item || !isLive(item.component) || item.component.stage !== 'deployed') return;
		const { componentId } = item.component;
		const component = { ...item.component, operational: change.operational };
		let seq: number | undefined;
		try {
			await this.keeper.commit((l) => {
				item.component = component;
				seq = nextSeq(l);
			});
		} catch (e) {
			this.emit({ event: 'error', where: 'runner', message: errorMessage(e) });
		}
		const message = wireText(change.message);
		this.emit({ event: 'component-state', componentId, operational: change.operational, message });
		// Consent (SCOMO-USA-1): nothing about a withheld MA's components leaves the device unasked.
		if ((await this.withheldMas()).has(item.maId)) return;
		// Offline, the full inventory sent on the next connection carries the new state.
		await this.link().sendComponentState({ maId: item.maId, componentId, operational: change.operational, message, seq });
	}
}
