/**
 * One consent decision per command set (SCOMO-ADC-2, SCOMO-USA-1/2): notify before, refuse when blocked, or ask
 * and wait for the user. While a prompt is open the MA may withdraw operations of it (withdraw()), which
 * takes the prompt away; the journal loop then asks again for what is left.
 */
import type { CommandSetMsg } from '../../contract';
import { consentRequest, describeOperations, type ConsentPlan } from '../consent';
import { errorMessage, type EventSink } from '../events';
import type { LedgerKeeper } from '../ledger';
import type { DeviceLink } from '../link';
import type { ConsentPort, JournalEntry } from '../ports';

export type ConsentDecision = 'accepted' | 'refused' | 'withdrawn';

export class ConsentGate {
	/** The set whose prompt is open now, and how to take the prompt away. */
	private asking: { entry: JournalEntry; controller: AbortController } | null = null;

	constructor(
		private readonly d: {
			consent: ConsentPort;
			keeper: LedgerKeeper;
			emit: EventSink;
			progress: (p: Parameters<DeviceLink['sendProgress']>[0]) => void;
		}
	) {}

	/** Takes the open prompt away when it belongs to one of these journal entries. */
	withdrawIfAsking(entries: ReadonlySet<JournalEntry>): void {
		if (this.asking && entries.has(this.asking.entry)) this.asking.controller.abort();
	}

	async decide(entry: JournalEntry, set: CommandSetMsg, plan: ConsentPlan): Promise<ConsentDecision> {
		const { consent, keeper } = this.d;
		const correlators = set.operations.map((o) => o.correlator);
		const itemOf = (id: string) => keeper.item(set.maId, id);
		let decision: 'accepted' | 'refused' = 'accepted';
		if (plan === 'refuse-blocked') {
			consent.notify({ kind: 'blocked', maId: set.maId, maName: set.maName, correlators });
			decision = 'refused';
		} else if (plan === 'run-notify') {
			consent.notify({ kind: 'before', maId: set.maId, maName: set.maName, intent: set.intent, operations: describeOperations(set, itemOf) });
		} else if (plan === 'ask') {
			for (const correlator of correlators) this.d.progress({ correlator, phase: 'awaiting-consent' });
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
}
