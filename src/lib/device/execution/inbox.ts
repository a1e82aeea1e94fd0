/**
 * The executor's inbox: parses, verifies, dedupes and journals each command set before it is acked
 * (docs/protocol.md "Delivery guarantees"): an acked operation is never lost, a correlator runs at most once,
 * and a refused one never runs.
 */
import { RC } from '../../core';
import { CommandSet, parse, type CommandAck, type CommandOperationMsg, type CommandSetMsg } from '../../contract';
import type { EventSink } from '../events';
import { addResult, type LedgerKeeper } from '../ledger';
import type { Clock, JournalEntry } from '../ports';
import type { Rejection, Verdict } from '../verify';
import { componentOf, toResult, unchanged, visibleEntry } from './outcome';
import type { Outbox } from './outbox';

export type InboxDeps = {
	keeper: LedgerKeeper;
	clock: Clock;
	emit: EventSink;
	outbox: Outbox;
	/** SCOMO-SEC-01: checks a command set before anything is acked, journaled or run (verify.ts). */
	verify: (set: CommandSetMsg) => Promise<Verdict>;
};

export class Inbox {
	private receiving: Promise<unknown> = Promise.resolve();

	constructor(private readonly d: InboxDeps) {}

	/** Validate, verify, dedupe and journal a command set; the returned ack goes to the server. */
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
			if (keeper.result(op.correlator)) this.d.outbox.answerAgain(op.correlator); // done before: answer again, never run twice
			else if (!keeper.inJournal(op.correlator)) fresh.push(op); // in the journal: already under way
		}
		const correlators = [...seen];
		this.d.emit({ event: 'commands', maId: set.maId, batchId: set.batchId, correlators, fresh: fresh.map((o) => o.correlator) });
		if (refused.length > 0) await this.refuse(set, refused, verdict);
		if (fresh.length > 0) {
			if (set.expiresAt < this.d.clock.now()) await this.expire(set, fresh);
			else await this.journal(set, fresh, verdict);
		}
		return { ok: true, accepted: correlators };
	}

	/** SCOMO-SEC-01: a command that arrives after its validity period is not executed. */
	private expire(set: CommandSetMsg, fresh: CommandOperationMsg[]): Promise<void> {
		const now = this.d.clock.now();
		return this.d.keeper.commit((l) => {
			for (const op of fresh) {
				const outcome = unchanged(RC.CommandExpired, 'The command reached the device after it expired.', componentOf(op), visibleEntry(this.d.keeper, set.maId, componentOf(op)));
				addResult(l, op.correlator, { maId: set.maId, acked: false, result: toResult(op, outcome, now) });
			}
		});
	}

	private async journal(set: CommandSetMsg, fresh: CommandOperationMsg[], verdict: Verdict): Promise<void> {
		const { keeper } = this.d;
		const entry: JournalEntry = { set: { ...set, operations: fresh }, receivedAt: this.d.clock.now(), consent: 'pending' };
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

	/**
	 * SCOMO-SEC-01: operations that failed verification are never run; their code is their result. A refusal
	 * of a set nothing proved authentic goes to `refusals`, not `results`: anyone can forge a set under a
	 * genuine correlator, and the genuine set arriving later must still run (issue #13).
	 */
	private async refuse(set: CommandSetMsg, refused: [CommandOperationMsg, Rejection][], verdict: Verdict): Promise<void> {
		const now = this.d.clock.now();
		await this.d.keeper.commit((l) => {
			for (const [op, r] of refused) {
				const outcome = unchanged(r.code, r.message, componentOf(op), visibleEntry(this.d.keeper, set.maId, componentOf(op)));
				const stored = { maId: set.maId, acked: false, result: toResult(op, outcome, now) };
				if (r.authentic) addResult(l, op.correlator, stored);
				else (l.refusals ??= {})[op.correlator] = stored;
			}
			// Expired or unapproved copies of an authentic envelope: their correlators belong to its nonce now.
			verdict.remember(l, refused.filter(([, r]) => r.authentic && r.code !== RC.CommandReplayed).map(([op]) => op.correlator));
		});
	}
}
