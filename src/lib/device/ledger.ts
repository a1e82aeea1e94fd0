/**
 * The runtime's one copy of the ledger (inventory, journal, results) and its durable commits.
 *
 * Mutations happen in memory (synchronously, so no two callers interleave inside one change) and `commit`
 * writes the whole document through the StateStore. Writes are chained, so they reach the store in order and
 * each one carries every change made before it.
 */
import type { ComponentState } from '../core';

/** A component as the full inventory report carries it: with the MA that owns it. */
export type OwnedComponent = ComponentState & { maId: string };
import type { InventoryItem, JournalEntry, Ledger, StateStore, StoredResult } from './ports';

/** Acknowledged results kept to answer duplicates; older ones are forgotten first. */
export const REMEMBERED_RESULTS = 2000;

export class LedgerKeeper {
	private writes: Promise<void> = Promise.resolve();

	private constructor(
		private readonly store: StateStore,
		readonly ledger: Ledger
	) {}

	static async load(store: StateStore): Promise<LedgerKeeper> {
		return new LedgerKeeper(store, await store.readLedger());
	}

	/** Apply a change in memory and make it durable; resolves once the store holds it. */
	commit(change: (ledger: Ledger) => void = () => {}): Promise<void> {
		change(this.ledger);
		const snapshot = structuredClone(this.ledger);
		const write = this.writes.then(() => this.store.writeLedger(snapshot));
		// A failed write must not block the later ones; the caller of this commit still sees the failure.
		this.writes = write.catch(() => {});
		return write;
	}

	/** One MA's component: another MA's component of the same ID is a different item. */
	item(maId: string, componentId: string): InventoryItem | null {
		return this.ledger.inventory.find((i) => i.maId === maId && i.component.componentId === componentId) ?? null;
	}

	/** SCOMO-ADC-3: the components one MA may see. */
	inventoryOf(maId: string): ComponentState[] {
		return this.ledger.inventory.filter((i) => i.maId === maId).map((i) => i.component);
	}

	/** The report sequence now: the inventory as it stands includes every change numbered up to it. */
	get seq(): number {
		return this.ledger.seq ?? 0;
	}

	/** Every component with its owner (the inventory report names it: IDs are unique per MA only). */
	allComponents(): OwnedComponent[] {
		return this.ledger.inventory.map((i) => ({ ...i.component, maId: i.maId }));
	}

	/** The components reported without being asked: none of an MA whose scope the user withholds. */
	shareableComponents(withheld: ReadonlySet<string>): OwnedComponent[] {
		return this.ledger.inventory.filter((i) => !withheld.has(i.maId)).map((i) => ({ ...i.component, maId: i.maId }));
	}

	result(correlator: string): StoredResult | null {
		return this.ledger.results[correlator] ?? null;
	}

	inJournal(correlator: string): boolean {
		return this.ledger.journal.some((e) => e.set.operations.some((o) => o.correlator === correlator));
	}

	outbox(): StoredResult[] {
		return Object.values(this.ledger.results).filter((r) => !r.acked);
	}

	/** Refusals of unverified command sets not yet reported (never used to answer a duplicate). */
	refusal(correlator: string): StoredResult | null {
		return this.ledger.refusals?.[correlator] ?? null;
	}

	refusalsToSend(): string[] {
		return Object.keys(this.ledger.refusals ?? {});
	}

	firstUnfinished(): JournalEntry | null {
		return this.ledger.journal[0] ?? null;
	}
}

/** Puts or replaces (next != null) or drops (next == null) one MA's component's inventory item. */
export function setItem(ledger: Ledger, maId: string, componentId: string, next: InventoryItem | null): void {
	const i = ledger.inventory.findIndex((x) => x.maId === maId && x.component.componentId === componentId);
	if (next === null) {
		if (i >= 0) ledger.inventory.splice(i, 1);
	} else if (i >= 0) ledger.inventory[i] = next;
	else ledger.inventory.push(next);
}

/** The next report sequence number (monotonic for this device; committed with the change it numbers). */
export function nextSeq(ledger: Ledger): number {
	ledger.seq = (ledger.seq ?? 0) + 1;
	return ledger.seq;
}

/**
 * Records a result in the outbox, numbered with the next report sequence (so the server can tell it from an
 * older one), and forgets the oldest acknowledged ones beyond REMEMBERED_RESULTS.
 */
export function addResult(ledger: Ledger, correlator: string, stored: StoredResult): void {
	stored.result.seq = nextSeq(ledger);
	ledger.results[correlator] = stored;
	const acked = Object.keys(ledger.results).filter((c) => ledger.results[c]!.acked);
	for (const c of acked.slice(0, Math.max(0, acked.length - REMEMBERED_RESULTS))) delete ledger.results[c];
}
