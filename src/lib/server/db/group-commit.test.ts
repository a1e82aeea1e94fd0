import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { sql } from 'drizzle-orm';
import { openStore } from './open';
import { createGroupCommit } from './group-commit';

function store() {
	const s = openStore(path.join(mkdtempSync(path.join(tmpdir(), 'scomo-gc-')), 'gc.db'));
	s.sqlite.exec('create table t (k text primary key, v integer not null)');
	return s;
}
const rows = (s: ReturnType<typeof store>) => s.sqlite.prepare('select k, v from t order by k').all();

describe('group commit', () => {
	it('applies the writes of one turn in one transaction and resolves each after the commit', async () => {
		const s = store();
		const gc = createGroupCommit(s.db);
		let committedBeforeResolve = false;
		const writes = ['a', 'b', 'c'].map((k, i) => gc.submit((tx) => tx.run(sql`insert into t values (${k}, ${i})`).changes));
		expect(gc.pending()).toBe(3);
		expect(rows(s)).toEqual([]); // nothing runs before the flush
		const p = writes[0]!.then(() => {
			// Another connection sees the rows: the commit has happened when the promise settles.
			committedBeforeResolve = rows(s).length === 3;
		});
		expect(await Promise.all(writes)).toEqual([1, 1, 1]);
		await p;
		expect(committedBeforeResolve).toBe(true);
		expect(gc.stats()).toEqual({ groups: 1, writes: 3 });
		s.close();
	});

	it('a failing write rolls back only itself and rejects only its own promise', async () => {
		const s = store();
		const gc = createGroupCommit(s.db);
		const ok1 = gc.submit((tx) => tx.run(sql`insert into t values ('a', 1)`));
		const bad = gc.submit((tx) => {
			tx.run(sql`insert into t values ('b', 2)`);
			tx.run(sql`insert into t values ('a', 3)`); // primary key violation: undoes the 'b' row too
		});
		const ok2 = gc.submit((tx) => tx.run(sql`insert into t values ('c', 4)`));
		await expect(bad).rejects.toThrow(/Failed to run the query 'insert into t values/);
		await ok1;
		await ok2;
		expect(rows(s)).toEqual([
			{ k: 'a', v: 1 },
			{ k: 'c', v: 4 }
		]);
		s.close();
	});

	it('when the commit fails, every write of the group is rejected and nothing is stored', async () => {
		const s = store();
		const gc = createGroupCommit(s.db);
		// The store is closed before the flush: BEGIN fails, as a lost database would.
		const a = gc.submit((tx) => tx.run(sql`insert into t values ('a', 1)`));
		const b = gc.submit((tx) => tx.run(sql`insert into t values ('b', 2)`));
		const file = s.sqlite.name;
		s.close();
		await expect(a).rejects.toThrow();
		await expect(b).rejects.toThrow();
		const reopened = openStore(file);
		expect(reopened.sqlite.prepare('select count(*) as n from t').get()).toEqual({ n: 0 });
		reopened.close();
	});

	it('writes submitted after a flush go into the next group', async () => {
		const s = store();
		const gc = createGroupCommit(s.db);
		await gc.submit((tx) => tx.run(sql`insert into t values ('a', 1)`));
		await gc.submit((tx) => tx.run(sql`insert into t values ('b', 2)`));
		expect(gc.stats()).toEqual({ groups: 2, writes: 2 });
		s.close();
	});
});
