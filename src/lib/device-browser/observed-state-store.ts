/**
 * A StateStore that tells the PWA's pages what was written, after it is durable: the pages show exactly what
 * the device has committed (inventory, journal, results, identity, choices), never an in-between state.
 */
import type { Identity, Ledger, StateStore, UserChoice } from '../device';

export type StateObserver = {
	identity(identity: Identity): void;
	ledger(ledger: Ledger): void;
	choices(choices: Record<string, UserChoice>): void;
};

export class ObservedStateStore implements StateStore {
	constructor(
		private readonly inner: StateStore,
		private readonly observer: StateObserver
	) {}

	readIdentity() {
		return this.inner.readIdentity();
	}
	async writeIdentity(identity: Identity) {
		await this.inner.writeIdentity(identity);
		this.observer.identity(structuredClone(identity));
	}
	readLedger() {
		return this.inner.readLedger();
	}
	async writeLedger(ledger: Ledger) {
		await this.inner.writeLedger(ledger);
		this.observer.ledger(ledger);
	}
	readChoices() {
		return this.inner.readChoices();
	}
	async writeChoices(choices: Record<string, UserChoice>) {
		await this.inner.writeChoices(choices);
		this.observer.choices({ ...choices });
	}
}
