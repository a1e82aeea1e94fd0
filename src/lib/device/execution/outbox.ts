/**
 * The device's outbox: results stay in the ledger until the server acks them and are sent again on every
 * connection; refusals of unverified sets are reported once. Tracks every send in flight so the runtime can
 * wait for quiet (tests, shutdown).
 */
import type { EventSink } from '../events';
import type { LedgerKeeper } from '../ledger';
import type { StoredResult } from '../ports';
import type { DeviceLink, SendOutcome } from '../link';

export class Outbox {
	/** Correlators whose stored result a duplicate command asked for again. */
	private readonly resend = new Set<string>();
	private readonly inFlight = new Set<Promise<unknown>>();

	constructor(
		private readonly keeper: LedgerKeeper,
		private readonly link: () => DeviceLink,
		private readonly emit: EventSink
	) {}

	/** A duplicate command: its stored result goes out again with the next flush. */
	answerAgain(correlator: string): void {
		this.resend.add(correlator);
	}

	/** Sends every unacknowledged result, the results duplicates asked for, and pending refusals. */
	flush(): void {
		const correlators = new Set([...this.keeper.outbox().map((r) => r.result.correlator), ...this.resend]);
		this.resend.clear();
		for (const c of correlators) this.track(this.sendResult(c));
		for (const c of this.keeper.refusalsToSend()) this.track(this.sendRefusal(c));
	}

	/** Sends one stored result now (after its commit). */
	send(correlator: string): void {
		this.track(this.sendResult(correlator));
	}

	/** Keeps a send (a result, a progress report) in the set `quiet()` waits for. */
	track(p: Promise<unknown>): void {
		this.inFlight.add(p);
		void p.finally(() => this.inFlight.delete(p));
	}

	get busy(): boolean {
		return this.inFlight.size > 0;
	}

	/** Resolves once every send in flight now has settled. */
	async quiet(): Promise<void> {
		await Promise.allSettled([...this.inFlight]);
	}

	private async sendResult(correlator: string): Promise<void> {
		const stored = this.keeper.result(correlator);
		if (!stored) return;
		if ((await this.deliver(correlator, stored)) !== 'unsent' && !stored.acked) {
			await this.keeper.commit(() => {
				stored.acked = true;
			});
		}
	}

	/** A refusal of an unverified set is reported once; the server's answer either way ends it (nothing to dedupe). */
	private async sendRefusal(correlator: string): Promise<void> {
		const stored = this.keeper.refusal(correlator);
		if (!stored) return;
		if ((await this.deliver(correlator, stored)) === 'unsent') return;
		await this.keeper.commit((l) => {
			// A newer refusal under the same correlator stays until it is reported too.
			if (l.refusals?.[correlator] === stored) delete l.refusals[correlator];
		});
	}

	private async deliver(correlator: string, stored: StoredResult): Promise<SendOutcome> {
		let outcome: SendOutcome;
		try {
			outcome = await this.link().sendResult(stored.result);
		} catch {
			outcome = 'unsent';
		}
		this.emit({ event: 'result-sent', correlator, outcome });
		return outcome;
	}
}
