/**
 * The PWA's StateStore over IndexedDB: identity, ledger and choices are each one record, written in one
 * strict-durability transaction that has completed before the write resolves (ports.ts: atomic and durable).
 */
import { emptyLedger, type Identity, type Ledger, type StateStore, type UserChoice } from '../device';
import { durableTx, type DeviceDb } from './db';

export class IndexedDbStateStore implements StateStore {
	constructor(private readonly db: DeviceDb) {}

	private async put(key: 'identity' | 'ledger' | 'choices', value: Identity | Ledger | Record<string, UserChoice>) {
		const tx = durableTx(this.db, 'state');
		await Promise.all([tx.store.put(value, key), tx.done]);
	}

	async readIdentity(): Promise<Identity | null> {
		return ((await this.db.get('state', 'identity')) as Identity | undefined) ?? null;
	}
	writeIdentity(identity: Identity): Promise<void> {
		return this.put('identity', identity);
	}
	async readLedger(): Promise<Ledger> {
		return { ...emptyLedger(), ...((await this.db.get('state', 'ledger')) as Partial<Ledger> | undefined) };
	}
	writeLedger(ledger: Ledger): Promise<void> {
		return this.put('ledger', ledger);
	}
	async readChoices(): Promise<Record<string, UserChoice>> {
		return ((await this.db.get('state', 'choices')) as Record<string, UserChoice> | undefined) ?? {};
	}
	writeChoices(choices: Record<string, UserChoice>): Promise<void> {
		return this.put('choices', choices);
	}
}
