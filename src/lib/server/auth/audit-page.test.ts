/**
 * The audit log in keyset pages on a real store: 30 events of one MA (several sharing a time, so the ID
 * tie-break matters) and some of another MA. Walking every page lists each event once, newest first, with
 * the same total; a filter applies to pages and total; a cursor the log did not give out is refused.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore, type Store } from '../db/open';
import { audit, auditPage, type AuditFilter } from './audit-log';

let dir: string;
let store: Store;
const MA = 'ma-acme';
const OTHER = 'ma-globex';

beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'scomo-audit-'));
	store = openStore(path.join(dir, 'test.db'));
	for (let i = 0; i < 30; i++) {
		// Three events per millisecond: pages must break ties by ID, not lose or repeat them.
		audit(store.db, 1_800_000_000_000 + Math.floor(i / 3), { maId: MA, actor: { type: i % 2 ? 'admin' : 'system', id: 'x' }, action: 'settings.update', outcome: i % 5 ? 'ok' : 'denied' });
	}
	for (let i = 0; i < 5; i++) audit(store.db, 1_800_000_000_000 + i, { maId: OTHER, actor: { type: 'system', id: 'x' }, action: 'settings.update', outcome: 'ok' });
});
afterEach(() => {
	store.close();
	rmSync(dir, { recursive: true, force: true });
});

function walk(f: AuditFilter) {
	const rows = [];
	const totals = new Set<number>();
	let cursor: string | undefined;
	let pages = 0;
	do {
		const page = auditPage(store.db, MA, f, cursor)!;
		expect(page.rows.length).toBeLessThanOrEqual(f.limit!);
		rows.push(...page.rows);
		totals.add(page.total);
		cursor = page.nextCursor ?? undefined;
		pages++;
	} while (cursor && pages < 50);
	return { rows, totals: [...totals], pages };
}

describe('the audit log in keyset pages', () => {
	it('lists every event of the MA once, newest first, with the total on every page', () => {
		const { rows, totals, pages } = walk({ limit: 7 });
		expect(pages).toBe(5);
		expect(totals).toEqual([30]);
		expect(new Set(rows.map((r) => r.id)).size).toBe(30);
		expect(rows.every((r) => r.maId === MA)).toBe(true);
		const at = rows.map((r) => r.at);
		expect(at).toEqual([...at].sort((a, b) => b - a));
	});

	it('applies filters to pages and total', () => {
		const { rows, totals } = walk({ outcome: 'denied', limit: 2 });
		expect(totals).toEqual([6]);
		expect(rows).toHaveLength(6);
		expect(rows.every((r) => r.outcome === 'denied')).toBe(true);
		const admins = walk({ actorType: 'admin', limit: 4 });
		expect(admins.totals).toEqual([15]);
		expect(new Set(admins.rows.map((r) => r.id)).size).toBe(15);
	});

	it('refuses a cursor it did not give out', () => {
		expect(auditPage(store.db, MA, { limit: 5 }, 'not a cursor')).toBeNull();
		expect(auditPage(store.db, MA, { limit: 5 }, Buffer.from('["x","y"]').toString('base64url'))).toBeNull();
		expect(auditPage(store.db, MA, { limit: 5 }, 'AAAA')).toBeNull();
	});
});
