/**
 * The executor: receives command sets, asks for consent, runs each operation's steps and records one result
 * per correlator. It composes four parts (execution/): the inbox (parse, verify, dedupe, journal, ack), the
 * consent gate, the step runner over the ports, and the outbox; this file is the journal loop between them.
 *
 * Guarantees (docs/protocol.md "Delivery guarantees"):
 * - A set is written to the journal BEFORE it is acked, so an acked operation is never lost.
 * - A correlator runs at most once to completion: a repeated one gets its stored result again (dedupe).
 * - The inventory change and the result are ONE durable commit (ledger.ts), so a crash between them is
 *   impossible; an operation cut short by a crash is run again from the start after the restart, and the
 *   transition function re-decides it from the committed inventory, so re-running is safe.
 * - Results stay in the outbox until the server acks them; they are re-sent on every connection.
 * - Sets run one at a time, in the order received; operations of a set in order. A rejected operation
 *   does not stop the set: a later one that depended on it is rejected on its own by transition().
 */
import { RC } from '../core';
import type { CommandAck, CommandOperationMsg, CommandSetMsg } from '../contract';
import { consentPlan } from './consent';
import { errorMessage, wireText, type EventSink } from './events';
import { addResult, setItem, type LedgerKeeper } from './ledger';
import type { DeviceLink } from './link';
import type { PackageKeys } from './package-check';
import type { Clock, ComponentRunner, ConsentPort, JournalEntry, Notice, PackageStore, StateStore } from './ports';
import type { Verdict } from './verify';
import { ConsentGate } from './execution/consent-gate';
import { Inbox } from './execution/inbox';
import { Outbox } from './execution/outbox';
import { Interrupted, componentOf, toResult, visibleEntry, type Outcome } from './execution/outcome';
import { StepRunner } from './execution/step-runner';

export type ExecutorDeps = {
	keeper: LedgerKeeper;
	store: StateStore;
	packages: PackageStore;
	runner: ComponentRunner;
	consent: ConsentPort;
	clock: Clock;
	/** The device's factory build (SCOMO-HLFR-9), fixed at enrollment. */
	baseline: () => string;
	/** The current link to the server (an offline one between connections). */
	link: () => DeviceLink;
	emit: EventSink;
	/** SCOMO-SEC-03: decryption and the MAs' pinned keys for the package check. Required: tests pass fakes. */
	packageKeys: PackageKeys;
	/** SCOMO-SEC-01: checks a command set before anything is acked, journaled or run (verify.ts). Required. */
	verify: (set: CommandSetMsg) => Promise<Verdict>;
	/** Backoff between download attempts after a transient failure (defaults: 1 s doubling to 30 s). */
	downloadRetry?: { firstDelayMs: number; maxDelayMs: number };
};

export class Executor {
	private draining: Promise<void> | null = null;
	/** The operation being executed now: too late to withdraw. */
	private running: string | null = null;
	private readonly outbox: Outbox;
	private readonly inbox: Inbox;
	private readonly gate: ConsentGate;
	private readonly steps: StepRunner;
	/** MAs being decommissioned (forgetMa): nothing more of their sets runs. */
	private readonly forgetting = new Set<string>();

	constructor(private readonly d: ExecutorDeps) {
		const progress = (p: Parameters<DeviceLink['sendProgress']>[0]) => this.progress(p);
		this.outbox = new Outbox(d.keeper, d.link, d.emit);
		this.inbox = new Inbox({ keeper: d.keeper, clock: d.clock, emit: d.emit, outbox: this.outbox, verify: d.verify });
		this.gate = new ConsentGate({ consent: d.consent, keeper: d.keeper, emit: d.emit, progress });
		this.steps = new StepRunner({ ...d, progress });
	}

	/** The runtime is stopping: a download waiting to retry gives up without a result (it reruns next start). */
	halt(): void {
		this.steps.halt();
	}

	/** The runtime starts (again). */
	resume(): void {
		this.steps.resume();
	}

	/** Validate, dedupe and journal a command set; the returned ack goes to the server. Call `kick()` after acking to run it. */
	receive(raw: unknown): Promise<CommandAck> {
		return this.inbox.receive(raw);
	}

	/**
	 * The MA withdrew operations (an administrator cancelled them after delivery; the signature was checked,
	 * verify.ts). Each one not started yet ends with 1462 and never runs, even if its set arrives later; an
	 * open prompt for it is taken away and the user told. One under way, finished, or of another MA stays.
	 */
	async withdraw(w: { maId: string; maName: string; correlators: string[] }): Promise<{ withdrawn: string[]; tooLate: string[] }> {
		const { keeper } = this.d;
		const withdrawn: { correlator: string; componentId: string | null }[] = [];
		const tooLate: string[] = [];
		const touched = new Set<JournalEntry>();
		for (const c of new Set(w.correlators)) {
			const entry = keeper.ledger.journal.find((e) => e.set.operations.some((o) => o.correlator === c));
			if (keeper.result(c) || this.running === c || (entry && entry.set.maId !== w.maId)) {
				tooLate.push(c);
				continue;
			}
			const op = entry?.set.operations.find((o) => o.correlator === c);
			if (entry) touched.add(entry);
			withdrawn.push({ correlator: c, componentId: op ? componentOf(op) : null });
		}
		if (withdrawn.length > 0) {
			await keeper.commit((l) => {
				for (const { correlator, componentId } of withdrawn) {
					addResult(l, correlator, {
						maId: w.maId,
						acked: false,
						result: {
							correlator,
							resultCode: RC.Cancelled,
							message: wireText(`Withdrawn by ${w.maName} before it started.`),
							componentId,
							entry: visibleEntry(keeper, w.maId, componentId),
							completedAt: this.d.clock.now()
						}
					});
				}
			});
		}
		const seen = withdrawn.filter((x) => [...touched].some((e) => e.set.operations.some((o) => o.correlator === x.correlator)));
		this.gate.withdrawIfAsking(touched);
		if (seen.length > 0) this.d.consent.notify({ kind: 'withdrawn', maId: w.maId, maName: w.maName, correlators: seen.map((x) => x.correlator) });
		this.d.emit({ event: 'withdrawn', maId: w.maId, correlators: withdrawn.map((x) => x.correlator), tooLate });
		for (const { correlator } of withdrawn) this.outbox.send(correlator);
		return { withdrawn: withdrawn.map((x) => x.correlator), tooLate };
	}

	/**
	 * Decommission (runtime.ts): nothing more of the MA's sets runs, an open prompt for them is taken away, and
	 * an operation of the MA under way is let finish (a step is not interruptible halfway). Resolves when none
	 * is running; the caller then erases the MA's journal entries, results and components in one commit and
	 * calls forgotMa().
	 */
	async forgetMa(maId: string): Promise<void> {
		this.forgetting.add(maId);
		const mine = new Set(this.d.keeper.ledger.journal.filter((e) => e.set.maId === maId));
		this.gate.withdrawIfAsking(mine);
		const correlators = new Set([...mine].flatMap((e) => e.set.operations.map((o) => o.correlator)));
		// Polled: the step runner has no completion hook per operation, and this waits at most one operation.
		while (this.running !== null && correlators.has(this.running)) await new Promise((r) => setTimeout(r, 20));
	}

	/** The MA's data is erased: a later enrollment with it runs its sets again. */
	forgotMa(maId: string): void {
		this.forgetting.delete(maId);
	}

	/** Run whatever the journal holds and send what the outbox holds. Safe to call any time. */
	kick(): void {
		void this.drain();
		this.flushOutbox();
	}

	/** Resolves once the journal is empty and no send is in flight (tests, shutdown). */
	async idle(): Promise<void> {
		while (this.draining || this.outbox.busy) {
			await this.draining;
			await this.outbox.quiet();
		}
	}

	/** Sends every unacknowledged result (the outbox) and the results duplicates asked for. */
	flushOutbox(): void {
		this.outbox.flush();
	}

	drain(): Promise<void> {
		if (this.draining) return this.draining;
		// Cleared in a later microtask, so it is never cleared before it is set (an empty journal ends at once).
		const run = this.runJournal().finally(() => {
			if (this.draining === run) this.draining = null;
		});
		this.draining = run;
		return run;
	}

	private async runJournal(): Promise<void> {
		try {
			let entry: JournalEntry | null;
			while ((entry = this.d.keeper.firstUnfinished())) await this.runSet(entry);
		} catch (e) {
			// A store failure: leave the journal as it is; the next kick (e.g. the next connection) retries.
			// Interrupted (the runtime stopped) leaves it too, on purpose.
			if (!(e instanceof Interrupted)) this.d.emit({ event: 'error', where: 'executor', message: errorMessage(e) });
		}
	}

	private async runSet(entry: JournalEntry): Promise<void> {
		const { keeper, consent } = this.d;
		const set = entry.set;
		// A decommissioned MA's set has nothing open: it leaves the journal unrun (forgetMa).
		const open = () => (this.forgetting.has(set.maId) ? [] : set.operations.filter((o) => !keeper.result(o.correlator)));
		const plan = consentPlan(set.consentMode, (await this.d.store.readChoices())[set.maId] ?? 'ask');
		// One decision for what is left of the set; when the MA withdraws part of it mid-prompt, ask again for the rest.
		while (entry.consent === 'pending' && open().length > 0) {
			const decision = await this.gate.decide(entry, { ...set, operations: open() }, plan);
			if (decision === 'withdrawn') continue;
			await keeper.commit((l) => {
				entry.consent = decision;
				// The user refused to show this MA its inventory: unsolicited reports leave it out too.
				if (decision === 'refused' && set.operations.some((o) => o.kind === 'Inventory') && !(l.withheld ?? []).includes(set.maId)) {
					l.withheld = [...(l.withheld ?? []), set.maId];
				}
			});
		}
		const done: Extract<Notice, { kind: 'after' }> = { kind: 'after', maId: set.maId, maName: set.maName, results: [] };
		for (const op of open()) {
			// Withdrawn by the MA while an earlier operation ran: it already has its 1462.
			if (keeper.result(op.correlator) || this.forgetting.has(set.maId)) continue;
			this.running = op.correlator;
			let outcome: Outcome;
			try {
				outcome = entry.consent === 'refused' ? this.steps.refused(set.maId, op) : await this.steps.run(set.maId, op, set.expiresAt);
				await this.commit(set.maId, op, outcome);
			} finally {
				this.running = null;
			}
			done.results.push({
				correlator: op.correlator,
				kind: op.kind,
				componentId: outcome.componentId,
				resultCode: outcome.resultCode,
				message: outcome.message
			});
		}
		// SCOMO-USA-2: the user is told when the operations have completed.
		if (plan === 'run-notify' && done.results.length > 0) consent.notify(done);
		await keeper.commit((l) => {
			const i = l.journal.indexOf(entry);
			if (i >= 0) l.journal.splice(i, 1);
		});
		this.d.emit({ event: 'set-finished', maId: set.maId, batchId: set.batchId, correlators: set.operations.map((o) => o.correlator) });
	}

	private progress(p: Parameters<DeviceLink['sendProgress']>[0]): void {
		// The host hears it too: the device page draws the same bar as the console.
		this.d.emit({ event: 'progress', ...p });
		this.outbox.track(this.d.link().sendProgress(p).catch(() => {}));
	}

	/** The inventory item change and the result, in one durable commit; then the result is sent. */
	private async commit(maId: string, op: CommandOperationMsg, outcome: Outcome): Promise<void> {
		const result = toResult(op, outcome, this.d.clock.now());
		await this.d.keeper.commit((l) => {
			if (outcome.item !== 'unchanged' && outcome.componentId) setItem(l, maId, outcome.componentId, outcome.item);
			addResult(l, op.correlator, { maId, result, acked: false });
			// The MA was shown its inventory: there is nothing left to withhold from it.
			if (op.kind === 'Inventory' && outcome.inventory && l.withheld?.includes(maId)) l.withheld = l.withheld.filter((m) => m !== maId);
		});
		this.d.emit({
			event: 'operation',
			correlator: op.correlator,
			kind: op.kind,
			componentId: outcome.componentId,
			resultCode: outcome.resultCode,
			message: result.message
		});
		if (outcome.cleanup) await outcome.cleanup().catch(() => {});
		this.outbox.send(op.correlator);
	}
}
