/**
 * The agent's StateStore: one JSON file per concern in the data directory, each written atomically.
 * - identity.json: device ID, server, baseline, MAs;
 * - ledger.json: inventory + journal + results, one file because they must change together (ports.ts);
 * - choices.json: the user's standing allow/block per MA.
 */
import path from 'node:path';
import { emptyLedger, type Identity, type Ledger, type StateStore, type UserChoice } from '../src/lib/device';
import { readJson, writeFileAtomic } from './atomic-file';

export const STATE_FILES = { identity: 'identity.json', ledger: 'ledger.json', choices: 'choices.json' } as const;

export class FileStateStore implements StateStore {
	constructor(readonly dir: string) {}

	private file(name: keyof typeof STATE_FILES): string {
		return path.join(this.dir, STATE_FILES[name]);
	}

	readIdentity(): Promise<Identity | null> {
		return readJson<Identity | null>(this.file('identity'), null);
	}
	writeIdentity(identity: Identity): Promise<void> {
		return writeFileAtomic(this.file('identity'), JSON.stringify(identity, null, 2));
	}
	async readLedger(): Promise<Ledger> {
		return { ...emptyLedger(), ...(await readJson<Partial<Ledger>>(this.file('ledger'), {})) };
	}
	writeLedger(ledger: Ledger): Promise<void> {
		return writeFileAtomic(this.file('ledger'), JSON.stringify(ledger));
	}
	readChoices(): Promise<Record<string, UserChoice>> {
		return readJson<Record<string, UserChoice>>(this.file('choices'), {});
	}
	writeChoices(choices: Record<string, UserChoice>): Promise<void> {
		return writeFileAtomic(this.file('choices'), JSON.stringify(choices, null, 2));
	}
}
