/**
 * The executor: receives command sets, asks for consent, runs each operation's steps and records one result
 * per correlator.
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
import { OPERATION_INFO, RC, transition, type ComponentState, type DeployedComponent, type Step } from '../core';
import { CommandSet, parse, type CommandAck, type CommandOperationMsg, type CommandSetMsg, type OperationResultMsg } from '../contract';
import { consentPlan, consentRequest, describeOperations, type ConsentPlan } from './consent';
import { componentKey } from './component-key';
import { checkPackage, type PackageKeys } from './package-check';
import { errorMessage, wireText, type EventSink } from './events';
import { addResult, setItem, type LedgerKeeper } from './ledger';
import type { Rejection, Verdict } from './verify';
import { DownloadError, type DeviceLink } from './link';
import { throttleProgress } from './progress-throttle';
import type { Clock, ComponentRunner, ConsentPort, InventoryItem, JournalEntry, Notice, PackageStore, StateStore } from './ports';

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
	/** SCOMO-SEC-03: decryption and the MAs' pinned keys for the package check (package-check.ts). Required. */
	packageKeys: PackageKeys;
	/** SCOMO-SEC-01: checks a command set before anything is acked, journaled or run (verify.ts). Required. */
	verify: (set: CommandSetMsg) => Promise<Verdict>;
	/** Backoff between download attempts after a transient failure (defaults: 1 s doubling to 30 s). */
	downloadRetry?: { firstDelayMs: number; maxDelayMs: number };
};

/** Thrown when the runtime stops mid-operation: nothing is committed, the journal runs it again next start. */
class Interrupted extends Error {}

/** How one operation ended: the result to report and the inventory change to commit with it. */
type Outcome = {
	resultCode: number;
	message: string;
	componentId: string | null;
	/** The new inventory item, null to drop it, 'unchanged' to leave the inventory alone. */
	item: InventoryItem | null | 'unchanged';
	/** The entry reported to the server (the component's state after the operation). */
	entry: ComponentState | null;
	inventory?: ComponentState[];
	/** Runs after the commit: deleting a bundle the new state no longer needs. */
	cleanup?: () => Promise<void>;
};

const decoder = new TextDecoder();

export class Executor {
	private draining: Promise<void> | null = null;
	/** Correlators whose stored result a duplicate command asked for again. */
	private readonly resend = new Set<string>();
	private readonly sending = new Set<Promise<unknown>>();
	private receiving: Promise<unknown> = Promise.resolve();
	private halted = false;
	/** The operation being executed now: too late to withdraw. */
	private running: string | null = null;
	/** The set whose prompt is open now, and how to take the prompt away (withdraw). */
	private asking: { entry: JournalEntry; controller: AbortController } | null = null;
	/** Wakes a download waiting out its backoff (halt()). */
	private wake: (() => void) | null = null;

	constructor(private readonly d: ExecutorDeps) {}

	/** The runtime is stopping: a download waiting to retry gives up without a result (it reruns next start). */
	halt(): void {
		this.halted = true;
		this.wake?.();
	}

	/** The runtime starts (again). */
	resume(): void {
		this.halted = false;
	}

	/**
	 * Validate, dedupe and journal a command set; the returned ack goes to the server. Call `kick()` after
	 * acking to run it.
	 */
	receive(raw: unknown): Promise<CommandAck> {
		// Verification is asynchronous (WebCrypto): sets are taken one at a time, in the order they arrived, so
		// a later set (a Stop) never overtakes an earlier one (its Start).
		const run = this.receiving.then(() => this.receiveInOrder(raw));
		this.receiving = run.catch(() => {});
		return run;
	}

	private async receiveInOrder(raw: unknown): Promise<CommandAck> {
		const parsed = parse(CommandSet, raw);
		if (!parsed.ok) {
			const message = parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
			this.d.emit({ event: 'commands-invalid', message });
			return { ok: false, code: 'invalid_request', message };
		}
		const set = parsed.value;
		// SCOMO-SEC-01: verified before it is acked, journaled or run; a refused operation never runs.
		const verdict = await this.d.verify(set);
		const { keeper } = this.d;
		const seen = new Set<string>();
		const fresh: CommandOperationMsg[] = [];
		const refused: [CommandOperationMsg, Rejection][] = [];
		for (const op of set.operations) {
			if (seen.has(op.correlator)) continue;
			seen.add(op.correlator);
			const rejection = verdict.rejected.get(op.correlator);
			if (rejection) {
				// Never overwrite the result of an operation that ran: a forged or replayed copy changes nothing.
				if (!keeper.result(op.correlator) && !keeper.inJournal(op.correlator)) refused.push([op, rejection]);
				continue;
			}
			if (keeper.result(op.correlator)) this.resend.add(op.correlator); // done before: answer again, never run twice
			else if (!keeper.inJournal(op.correlator)) fresh.push(op); // in the journal: already under way
		}
		const correlators = [...seen];
		this.d.emit({
			event: 'commands',
			maId: set.maId,
			batchId: set.batchId,
			correlators,
			fresh: fresh.map((o) => o.correlator)
		});
		if (refused.length > 0) await this.refuse(set, refused, verdict);
		if (fresh.length > 0) {
			const now = this.d.clock.now();
			if (set.expiresAt < now) {
				// SCOMO-SEC-01: a command that arrives after its validity period is not executed.
				await keeper.commit((l) => {
					for (const op of fresh) {
						addResult(l, op.correlator, {
							maId: set.maId,
							acked: false,
							result: this.toResult(op, {
								resultCode: RC.CommandExpired,
								message: 'The command reached the device after it expired.',
								componentId: op.componentId ?? op.package?.componentId ?? null,
								item: 'unchanged',
								entry: this.visibleEntry(set.maId, op.componentId ?? op.package?.componentId ?? null)
							})
						});
					}
				});
			} else {
				const entry: JournalEntry = { set: { ...set, operations: fresh }, receivedAt: now, consent: 'pending' };
				await keeper
					.commit((l) => {
						l.journal.push(entry);
						verdict.remember(l, fresh.map((o) => o.correlator));
					})
					.catch((e: unknown) => {
						// Not durable, so not accepted: forget it; the server relays it again.
						const i = keeper.ledger.journal.indexOf(entry);
						if (i >= 0) keeper.ledger.journal.splice(i, 1);
						throw e;
					});
			}
		}
		return { ok: true, accepted: correlators };
	}

	/**
	 * SCOMO-SEC-01: operations that failed verification are never run; their code is their result. A refusal
	 * of a set nothing proved authentic goes to `refusals`, not `results`: anyone can forge a set under a
	 * genuine correlator, and the genuine set arriving later must still run (issue #13).
	 */
	private async refuse(set: CommandSetMsg, refused: [CommandOperationMsg, Rejection][], verdict: Verdict): Promise<void> {
		await this.d.keeper.commit((l) => {
			for (const [op, r] of refused) {
				const componentId = op.componentId ?? op.package?.componentId ?? null;
				const stored = {
					maId: set.maId,
					acked: false,
					result: this.toResult(op, { resultCode: r.code, message: r.message, componentId, item: 'unchanged', entry: this.visibleEntry(set.maId, componentId) })
				};
				if (r.authentic) addResult(l, op.correlator, stored);
				else (l.refusals ??= {})[op.correlator] = stored;
			}
			// Expired or unapproved copies of an authentic envelope: their correlators belong to its nonce now.
			verdict.remember(l, refused.filter(([, r]) => r.authentic && r.code !== RC.CommandReplayed).map(([op]) => op.correlator));
		});
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
			withdrawn.push({ correlator: c, componentId: op ? (op.componentId ?? op.package?.componentId ?? null) : null });
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
							entry: this.visibleEntry(w.maId, componentId),
							completedAt: this.d.clock.now()
						}
					});
				}
			});
		}
		const seen = withdrawn.filter((x) => [...touched].some((e) => e.set.operations.some((o) => o.correlator === x.correlator)));
		if (this.asking && touched.has(this.asking.entry)) this.asking.controller.abort();
		if (seen.length > 0) this.d.consent.notify({ kind: 'withdrawn', maId: w.maId, maName: w.maName, correlators: seen.map((x) => x.correlator) });
		this.d.emit({ event: 'withdrawn', maId: w.maId, correlators: withdrawn.map((x) => x.correlator), tooLate });
		for (const { correlator } of withdrawn) this.track(this.sendResult(correlator));
		return { withdrawn: withdrawn.map((x) => x.correlator), tooLate };
	}

	/** Run whatever the journal holds and send what the outbox holds. Safe to call any time. */
	kick(): void {
		void this.drain();
		this.flushOutbox();
	}

	/** Resolves once the journal is empty and no send is in flight (tests, shutdown). */
	async idle(): Promise<void> {
		while (this.draining || this.sending.size > 0) {
			await this.draining;
			await Promise.allSettled([...this.sending]);
		}
	}

	/** Sends every unacknowledged result (the outbox) and the results duplicates asked for. */
	flushOutbox(): void {
		const { keeper } = this.d;
		const correlators = new Set([...keeper.outbox().map((r) => r.result.correlator), ...this.resend]);
		this.resend.clear();
		for (const c of correlators) this.track(this.sendResult(c));
		for (const c of keeper.refusalsToSend()) this.track(this.sendRefusal(c));
	}

	/** Reports a refusal of an unverified set once; the server's answer either way ends it (nothing to dedupe). */
	private async sendRefusal(correlator: string): Promise<void> {
		const stored = this.d.keeper.refusal(correlator);
		if (!stored) return;
		let outcome: Awaited<ReturnType<DeviceLink['sendResult']>>;
		try {
			outcome = await this.d.link().sendResult(stored.result);
		} catch {
			outcome = 'unsent';
		}
		this.d.emit({ event: 'result-sent', correlator, outcome });
		if (outcome === 'unsent') return;
		await this.d.keeper.commit((l) => {
			// A newer refusal under the same correlator stays until it is reported too.
			if (l.refusals?.[correlator] === stored) delete l.refusals[correlator];
		});
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

	private track(p: Promise<unknown>): void {
		this.sending.add(p);
		void p.finally(() => this.sending.delete(p));
	}

	private async sendResult(correlator: string): Promise<void> {
		const stored = this.d.keeper.result(correlator);
		if (!stored) return;
		let outcome: Awaited<ReturnType<DeviceLink['sendResult']>>;
		try {
			outcome = await this.d.link().sendResult(stored.result);
		} catch {
			outcome = 'unsent';
		}
		this.d.emit({ event: 'result-sent', correlator, outcome });
		if (outcome !== 'unsent' && !stored.acked) {
			await this.d.keeper.commit(() => {
				stored.acked = true;
			});
		}
	}

	private async runSet(entry: JournalEntry): Promise<void> {
		const { keeper, consent } = this.d;
		const set = entry.set;
		const open = () => set.operations.filter((o) => !keeper.result(o.correlator));
		const plan = consentPlan(set.consentMode, (await this.d.store.readChoices())[set.maId] ?? 'ask');
		// One decision for what is left of the set; when the MA withdraws part of it mid-prompt, ask again for the rest.
		while (entry.consent === 'pending' && open().length > 0) {
			const decision = await this.decide(entry, { ...set, operations: open() }, plan);
			if (decision === 'withdrawn') continue;
			await keeper.commit((l) => {
				entry.consent = decision;
				// The user refused to show this MA its inventory: unsolicited reports leave it out too.
				if (decision === 'refused' && set.operations.some((o) => o.kind === 'Inventory') && !(l.withheld ?? []).includes(set.maId)) {
					l.withheld = [...(l.withheld ?? []), set.maId];
				}
			});
		}
		const pending = open();
		const done: Extract<Notice, { kind: 'after' }> = {
			kind: 'after',
			maId: set.maId,
			maName: set.maName,
			results: []
		};
		for (const op of pending) {
			// Withdrawn by the MA while an earlier operation ran: it already has its 1462.
			if (keeper.result(op.correlator)) continue;
			this.running = op.correlator;
			let outcome: Outcome;
			try {
				outcome =
					entry.consent === 'refused'
						? this.refused(set.maId, op)
						: await this.execute(set.maId, op, set.expiresAt).catch((e: unknown) => {
								if (e instanceof Interrupted) throw e;
								return this.undefinedError(set.maId, op, e);
							});
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

	/** One decision for the whole set (SCOMO-ADC-2); 'withdrawn' when the MA withdrew operations mid-prompt. */
	private async decide(entry: JournalEntry, set: CommandSetMsg, plan: ConsentPlan): Promise<'accepted' | 'refused' | 'withdrawn'> {
		const { consent, keeper } = this.d;
		const correlators = set.operations.map((o) => o.correlator);
		const itemOf = (id: string) => keeper.item(set.maId, id);
		let decision: 'accepted' | 'refused' = 'accepted';
		if (plan === 'refuse-blocked') {
			consent.notify({ kind: 'blocked', maId: set.maId, maName: set.maName, correlators });
			decision = 'refused';
		} else if (plan === 'run-notify') {
			consent.notify({
				kind: 'before',
				maId: set.maId,
				maName: set.maName,
				intent: set.intent,
				operations: describeOperations(set, itemOf)
			});
		} else if (plan === 'ask') {
			for (const correlator of correlators) this.progress({ correlator, phase: 'awaiting-consent' });
			const controller = new AbortController();
			this.asking = { entry, controller };
			try {
				const answer = await new Promise<'accept' | 'refuse' | 'withdrawn'>((resolve, reject) => {
					controller.signal.addEventListener('abort', () => resolve('withdrawn'));
					consent.ask(consentRequest(set, itemOf), controller.signal).then(resolve, reject);
				});
				if (answer === 'withdrawn') return 'withdrawn';
				decision = answer === 'accept' ? 'accepted' : 'refused';
			} catch (e) {
				// No answer is no consent (SCOMO-USA-1).
				this.d.emit({ event: 'error', where: 'consent', message: errorMessage(e) });
				decision = 'refused';
			} finally {
				this.asking = null;
			}
		}
		this.d.emit({ event: 'consent', maId: set.maId, correlators, decision, how: plan });
		return decision;
	}

	private progress(p: Parameters<DeviceLink['sendProgress']>[0]): void {
		// The host hears it too: the device page draws the same bar as the console.
		this.d.emit({ event: 'progress', ...p });
		this.track(this.d.link().sendProgress(p).catch(() => {}));
	}

	/** The inventory item change and the result, in one durable commit; then the result is sent. */
	private async commit(maId: string, op: CommandOperationMsg, outcome: Outcome): Promise<void> {
		const result = this.toResult(op, outcome);
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
		this.track(this.sendResult(op.correlator));
	}

	private toResult(op: CommandOperationMsg, o: Outcome): OperationResultMsg {
		return {
			correlator: op.correlator,
			resultCode: o.resultCode,
			message: wireText(o.message),
			componentId: o.componentId,
			entry: o.entry,
			...(o.inventory ? { inventory: o.inventory } : {}),
			completedAt: this.d.clock.now()
		};
	}

	/** SCOMO-ADC-3: only the MA's own component; another MA's of the same ID is a different component. */
	private visibleEntry(maId: string, componentId: string | null): ComponentState | null {
		if (!componentId) return null;
		return this.d.keeper.item(maId, componentId)?.component ?? null;
	}

	private refused(maId: string, op: CommandOperationMsg): Outcome {
		const componentId = op.componentId ?? op.package?.componentId ?? null;
		return {
			resultCode: RC.UserCancelled,
			message: 'The user refused the operation.',
			componentId,
			item: 'unchanged',
			entry: this.visibleEntry(maId, componentId)
		};
	}

	private undefinedError(maId: string, op: CommandOperationMsg, e: unknown): Outcome {
		const componentId = op.componentId ?? op.package?.componentId ?? null;
		return {
			resultCode: RC.UndefinedError,
			message: `The operation failed unexpectedly: ${errorMessage(e)}`,
			componentId,
			item: 'unchanged',
			entry: this.visibleEntry(maId, componentId)
		};
	}

	private async execute(maId: string, op: CommandOperationMsg, deadline: number): Promise<Outcome> {
		const { keeper } = this.d;
		this.progress({ correlator: op.correlator, phase: 'in-progress' });
		if (op.kind === 'Inventory') {
			// SCOMO-HLFR-3, SCOMO-ADC-3: only the requesting MA's components.
			return {
				resultCode: RC.Successful,
				message: 'Inventory reported.',
				componentId: null,
				item: 'unchanged',
				entry: null,
				inventory: keeper.inventoryOf(maId)
			};
		}
		const componentId = op.componentId ?? op.package?.componentId ?? null;
		const fail = (resultCode: number, message: string, entry: ComponentState | null = null): Outcome => ({
			resultCode,
			message,
			componentId,
			item: 'unchanged',
			entry
		});
		if (!componentId) return fail(RC.ClientError, 'The operation names no component.');
		// SCOMO-ADC-3 on the device too: the MA's own component only. Another MA's component of the same ID is
		// a different component (its own key, bundle and worker), so this MA neither sees nor touches it.
		const owned = keeper.item(maId, componentId);
		const current = owned?.component ?? null;
		const pkg = op.package;
		if (OPERATION_INFO[op.kind].needsPackage) {
			if (!pkg) return fail(RC.ClientError, `${op.kind} needs a package, and the command carries none.`, current);
			if (pkg.componentId !== componentId || pkg.manifest.id !== componentId || pkg.manifest.version !== pkg.version) {
				return fail(RC.PackageValidationFailed, 'The package does not match the component and version of the command.', current);
			}
		}
		const decided = transition({
			kind: op.kind,
			current,
			componentId,
			targetVersion: pkg?.version ?? op.version ?? undefined,
			compatibleBaselines: pkg?.manifest.compatibleBaselines,
			deviceBaseline: this.d.baseline()
		});
		if (!decided.ok) return fail(decided.error.resultCode, decided.error.message, current);
		return this.runSteps({ maId, op, componentId, owned, current, deadline, ...decided.value });
	}

	private async runSteps(x: {
		maId: string;
		op: CommandOperationMsg;
		componentId: string;
		owned: InventoryItem | null;
		current: ComponentState | null;
		next: ComponentState | null;
		steps: Step[];
		deadline: number;
	}): Promise<Outcome> {
		const { packages, runner } = this.d;
		const { op, componentId, owned, current, next, maId } = x;
		// Bundles and workers are filed under owner + ID: two MAs' same-named components never share them.
		const key = componentKey(maId, componentId);
		const pkg = op.package;
		// Install* and the component operations use what the device already holds; Download* and Update the new package.
		const manifest = pkg?.manifest ?? owned?.manifest;
		const sha256 = pkg?.sha256 ?? owned?.sha256;
		const version = next?.version ?? current?.version ?? '';
		let bytes: Uint8Array | null = null;
		let stopped = false;

		const item = (component: ComponentState | null): InventoryItem | null =>
			component && manifest && sha256 ? { maId, component, manifest, sha256 } : null;
		const failure = (resultCode: number, message: string): Outcome => {
			// After a 'stop' the component is no longer running, whatever failed next.
			if (stopped && current?.stage === 'deployed') {
				const after: DeployedComponent = { ...current, operational: 'Stopped' };
				return { resultCode, message, componentId, item: { ...owned!, component: after }, entry: after };
			}
			return { resultCode, message, componentId, item: 'unchanged', entry: current };
		};

		for (const step of x.steps) {
			switch (step) {
				case 'download': {
					this.progress({ correlator: op.correlator, phase: 'in-progress', downloadStatus: 30 });
					const got = await this.download(op.correlator, x.deadline);
					if (!got.ok) return failure(RC.DownloadFailed, `The package could not be downloaded: ${got.message}`);
					bytes = got.bytes;
					break;
				}
				case 'verify': {
					// SCOMO-SEC-03: before anything is stored, open a sealed download, then check size, digest and the
					// MA's signature (package-check.ts).
					if (!pkg || !bytes) return failure(RC.PackageValidationFailed, 'No package to verify.');
					const k = this.d.packageKeys;
					const checked = await checkPackage({ maId, pkg, bytes, decrypter: k.decrypter, requireSealed: k.requireSealed(), maKeys: k.maKeys(maId) });
					if (!checked.ok) return failure(RC.PackageValidationFailed, checked.message);
					bytes = checked.bytes;
					try {
						await packages.put(key, pkg.version, bytes);
					} catch (e) {
						return failure(RC.DownloadOutOfMemory, `The package could not be stored: ${errorMessage(e)}`);
					}
					this.progress({ correlator: op.correlator, phase: 'in-progress', downloadStatus: 40 });
					break;
				}
				case 'stop': {
					const r = await runner.stop(key);
					if (!r.ok) return failure(RC.StopFailed, `The component did not stop: ${r.message}`);
					stopped = true;
					break;
				}
				case 'install': {
					this.progress({ correlator: op.correlator, phase: 'in-progress', downloadStatus: 50 });
					const stored = await packages.get(key, version);
					if (!stored) return failure(RC.InstallFailed, `The package of ${componentId} ${version} is not on the device.`);
					break;
				}
				case 'activate':
				case 'deactivate':
					// SCOMO-HLFR-4: the Active/Inactive state is the inventory entry itself, committed with the result.
					break;
				case 'start': {
					const stored = await packages.get(key, version);
					const r = stored
						? await runner.start(key, decoder.decode(stored), manifest!)
						: ({ ok: false, message: 'its package is not on the device' } as const);
					if (!r.ok || !runner.isRunning(key)) {
						// LwM2M Object 9: a component that failed to start is Failed, at its (new) version.
						const failed = next?.stage === 'deployed' ? ({ ...next, operational: 'Failed' } as const) : null;
						return {
							resultCode: RC.StartFailed,
							message: `The component did not start: ${r.ok ? 'it exited at once' : r.message}`,
							componentId,
							item: item(failed) ?? 'unchanged',
							entry: failed ?? current,
							cleanup: this.dropOldVersion(key, current, next)
						};
					}
					break;
				}
				case 'remove': {
					try {
						await packages.delete(key);
					} catch (e) {
						return failure(RC.RemoveFailed, `The component could not be removed: ${errorMessage(e)}`);
					}
					break;
				}
				case 'report-inventory':
					break;
			}
		}
		const label = OPERATION_INFO[op.kind].label;
		return {
			resultCode: RC.Successful,
			message: `${label} of ${componentId}${version ? ` ${version}` : ''} succeeded.`,
			componentId,
			item: item(next),
			entry: next,
			cleanup: this.dropOldVersion(key, current, next)
		};
	}

	/**
	 * Fetches the bundle, trying again with backoff (and a new token each time) while the failure may pass:
	 * a server restart or a lost connection must not end the operation. 1402 only when the server says the
	 * package cannot be had, or when the operation's deadline has passed.
	 */
	private async download(correlator: string, deadline: number): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; message: string }> {
		const { firstDelayMs, maxDelayMs } = this.d.downloadRetry ?? { firstDelayMs: 1000, maxDelayMs: 30_000 };
		for (let attempt = 1; ; attempt++) {
			if (this.halted) throw new Interrupted('the runtime stopped');
			try {
				// Each attempt starts from 0 bytes: a fresh throttle, so its first tick says so at once.
				const tick = throttleProgress(
					(bytesDone, bytesTotal) => this.progress({ correlator, phase: 'in-progress', downloadStatus: 30, bytesDone, bytesTotal }),
					() => this.d.clock.now()
				);
				return { ok: true, bytes: await this.d.link().fetchBundle(correlator, tick) };
			} catch (e) {
				if (this.halted) throw new Interrupted('the runtime stopped');
				const permanent = !(e instanceof DownloadError) || e.permanent;
				const base = Math.min(maxDelayMs, firstDelayMs * 2 ** Math.min(attempt - 1, 20));
				const delayMs = Math.round(base / 2 + Math.random() * (base / 2));
				if (permanent || this.d.clock.now() + delayMs > deadline) return { ok: false, message: errorMessage(e) };
				this.d.emit({ event: 'download-retry', correlator, attempt, delayMs, message: wireText(errorMessage(e)) });
				await new Promise<void>((resolve) => {
					const timer = setTimeout(() => {
						this.wake = null;
						resolve();
					}, delayMs);
					this.wake = () => {
						clearTimeout(timer);
						this.wake = null;
						resolve();
					};
				});
			}
		}
	}

	/** After an Update or a newer Download, the bundle of the replaced version is no longer needed. */
	private dropOldVersion(
		/** componentKey() of the component. */
		key: string,
		current: ComponentState | null,
		next: ComponentState | null
	): (() => Promise<void>) | undefined {
		if (!current || !next || current.version === next.version) return undefined;
		return () => this.d.packages.delete(key, current.version);
	}
}
