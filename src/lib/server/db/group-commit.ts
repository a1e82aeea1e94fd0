/**
 * Group commit: writes submitted in the same turn of the event loop (results, progress, audit rows from many
 * devices' packets read together) are applied in ONE transaction, flushed on setImmediate. A transaction's
 * fixed cost (BEGIN/COMMIT, the WAL append and its page writes) is then paid once per turn instead of once
 * per write, which is what bounded results persisted per second.
 *
 * Each write runs in its own savepoint inside the shared transaction, so a write that throws rolls back only
 * its own changes and rejects only its own promise; the others commit. Both come from better-sqlite3's own
 * transaction functions (a nested one is a SAVEPOINT with statements it prepared once), and a write gets the
 * root database handle: on SQLite one connection holds the open transaction, so its statements (and the
 * repositories' prepared ones, cached per handle) run inside it. A promise resolves only after the
 * COMMIT that holds its write has returned, so a caller that acks the device afterwards never acks what is
 * not persisted. When the COMMIT itself fails, every write of the group is rejected (the device re-sends).
 */
import type { Q } from './repos/types';
import type { Db } from './open';

export type Work<T> = (tx: Q) => T;

export type GroupCommit = {
	/** Queues a write for this turn's transaction; resolves with its value once that transaction committed. */
	submit<T>(work: Work<T>): Promise<T>;
	/** Writes waiting for the next flush (for tests and the bench). */
	pending(): number;
	/** Applies what is queued now (used at shutdown; normally setImmediate does it). */
	flush(): void;
	/** Groups committed and writes in them since start: what the bench reports as the group size. */
	stats(): { groups: number; writes: number };
};

type Pending = { work: Work<unknown>; resolve(value: unknown): void; reject(error: unknown): void };
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Upper bound of writes per transaction: keeps one flush from holding the event loop for long. */
export const MAX_GROUP = 2000;

export function createGroupCommit(db: Db, schedule: (fn: () => void) => void = setImmediate): GroupCommit {
	const client = db.$client;
	const inSavepoint = client.transaction((work: Work<unknown>) => work(db));
	const inTransaction = client.transaction((group: Pending[], outcomes: Outcome[]) => {
		for (const item of group) {
			try {
				outcomes.push({ ok: true, value: inSavepoint(item.work) });
			} catch (error) {
				outcomes.push({ ok: false, error });
			}
		}
	});
	let queue: Pending[] = [];
	let scheduled = false;
	let groups = 0;
	let writes = 0;

	function flush(): void {
		scheduled = false;
		while (queue.length > 0) {
			const group = queue.slice(0, MAX_GROUP);
			queue = queue.slice(group.length);
			const outcomes: Outcome[] = [];
			try {
				inTransaction(group, outcomes);
			} catch (error) {
				for (const item of group) item.reject(error);
				continue;
			}
			groups++;
			writes += group.length;
			group.forEach((item, i) => {
				const o = outcomes[i]!;
				if (o.ok) item.resolve(o.value);
				else item.reject(o.error);
			});
		}
	}

	return {
		submit<T>(work: Work<T>): Promise<T> {
			return new Promise<T>((resolve, reject) => {
				queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
				if (!scheduled) {
					scheduled = true;
					schedule(flush);
				}
			});
		},
		pending: () => queue.length,
		flush,
		stats: () => ({ groups, writes })
	};
}
