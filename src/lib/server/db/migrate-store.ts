/**
 * Moving up from the embedded store to PostgreSQL: every table of a SQLite store is copied into an empty,
 * migrated PostgreSQL database (parents before children, so foreign keys hold on every insert), in one
 * transaction, then both sides are read back and compared table by table: row counts and an order-free
 * checksum of every row's values. Nothing is written to the source. The target must be empty: copying into
 * a database that already serves a fleet would merge two histories.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type postgres from 'postgres';
import { openStore } from './open';
import { openPostgresStore } from './postgres/open';

export type TableReport = { table: string; rows: number; checksum: string };
export type MigrateStoreReport = { tables: TableReport[]; totalRows: number };
export type MigrateStoreError = { code: 'target_not_empty' | 'verify_failed'; message: string; detail?: unknown };

/** Rows per multi-row INSERT: well under PostgreSQL's 65,535 bind parameters for the widest table. */
const BATCH_ROWS = 500;
const SKIPPED = new Set(['__drizzle_migrations', 'sqlite_sequence']);

/** Tables in an order where every table comes after the tables its foreign keys point to. */
function parentsFirst(db: Database.Database): string[] {
	const names = (db.prepare(`select name from sqlite_master where type = 'table' order by name`).all() as { name: string }[])
		.map((r) => r.name)
		.filter((n) => !SKIPPED.has(n));
	const parents = new Map(
		names.map((n) => [n, (db.pragma(`foreign_key_list(${n})`) as { table: string }[]).map((f) => f.table).filter((t) => t !== n)])
	);
	const ordered: string[] = [];
	const visit = (n: string, path: Set<string>) => {
		if (ordered.includes(n)) return;
		if (path.has(n)) throw new Error(`foreign keys form a cycle through ${n}`);
		path.add(n);
		for (const p of parents.get(n) ?? []) visit(p, path);
		path.delete(n);
		ordered.push(n);
	};
	for (const n of names) visit(n, new Set());
	return ordered;
}

type ColumnKinds = Map<string, 'text' | 'number' | 'boolean'>;

async function columnKinds(sql: postgres.Sql, table: string): Promise<ColumnKinds> {
	const rows = await sql<{ column_name: string; data_type: string }[]>`
		select column_name, data_type from information_schema.columns where table_schema = 'public' and table_name = ${table}`;
	return new Map(
		rows.map((r) => [r.column_name, r.data_type === 'boolean' ? 'boolean' : r.data_type === 'text' ? 'text' : 'number'] as const)
	);
}

/** One canonical form per value on both engines: SQLite keeps booleans as 0/1, postgres.js reads BIGINT as text. */
function canonical(value: unknown, kind: 'text' | 'number' | 'boolean' | undefined): string {
	if (value === null || value === undefined) return 'null';
	if (kind === 'boolean') return value === true || value === 1 || value === '1' ? 'true' : 'false';
	if (kind === 'number') return String(Number(value));
	return JSON.stringify(String(value));
}

/**
 * Order-free checksum: the sum, modulo 2^256, of each row's SHA-256 over its canonical values in column-name
 * order. Equal tables give equal sums whatever order the engines return rows in (their text collations differ).
 */
function checksummer(kinds: ColumnKinds) {
	const columns = [...kinds.keys()].sort();
	let sum = 0n;
	let rows = 0;
	return {
		add(row: Record<string, unknown>) {
			const line = columns.map((c) => canonical(row[c], kinds.get(c))).join('\u0000');
			sum = (sum + BigInt(`0x${createHash('sha256').update(line).digest('hex')}`)) % (1n << 256n);
			rows++;
		},
		result: () => ({ rows, checksum: sum.toString(16).padStart(64, '0') })
	};
}

function toPostgres(row: Record<string, unknown>, kinds: ColumnKinds): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(row)) out[k] = kinds.get(k) === 'boolean' && v !== null ? v === 1 || v === true : v;
	return out;
}

export async function migrateStore(sqliteFile: string, postgresUrl: string): Promise<
	{ ok: true; report: MigrateStoreReport } | { ok: false; error: MigrateStoreError }
> {
	// Opening through openStore brings an older SQLite store up to the current schema first, so both sides
	// have the same tables; after that the source is only read.
	openStore(sqliteFile).close();
	const source = new Database(sqliteFile, { readonly: true, fileMustExist: true });
	const target = await openPostgresStore(postgresUrl);
	try {
		const tables = parentsFirst(source);
		const kinds = new Map<string, ColumnKinds>();
		for (const t of tables) kinds.set(t, await columnKinds(target.sql, t));
		for (const t of tables) {
			const [row] = await target.sql<{ n: number }[]>`select count(*)::int as n from ${target.sql(t)}`;
			if ((row?.n ?? 0) > 0) return { ok: false, error: { code: 'target_not_empty', message: `the target already has rows in ${t}; migrate into an empty database` } };
		}
		await target.sql.begin(async (tx) => {
			for (const t of tables) {
				const tableKinds = kinds.get(t)!;
				let batch: Record<string, unknown>[] = [];
				for (const row of source.prepare(`select * from "${t}"`).iterate() as Iterable<Record<string, unknown>>) {
					batch.push(toPostgres(row, tableKinds));
					if (batch.length === BATCH_ROWS) {
						await tx`insert into ${tx(t)} ${tx(batch)}`;
						batch = [];
					}
				}
				if (batch.length > 0) await tx`insert into ${tx(t)} ${tx(batch)}`;
			}
		});
		const report: TableReport[] = [];
		const mismatches: { table: string; sqlite: { rows: number; checksum: string }; postgres: { rows: number; checksum: string } }[] = [];
		for (const t of tables) {
			const tableKinds = kinds.get(t)!;
			const fromSum = checksummer(tableKinds);
			for (const row of source.prepare(`select * from "${t}"`).iterate() as Iterable<Record<string, unknown>>) fromSum.add(row);
			const toSum = checksummer(tableKinds);
			// A cursor, so a large table is read in pages instead of into memory at once.
			for await (const rows of target.sql<Record<string, unknown>[]>`select * from ${target.sql(t)}`.cursor(1000)) {
				for (const row of rows) toSum.add(row);
			}
			const from = fromSum.result();
			const to = toSum.result();
			if (from.rows !== to.rows || from.checksum !== to.checksum) mismatches.push({ table: t, sqlite: from, postgres: to });
			report.push({ table: t, ...from });
		}
		if (mismatches.length > 0) {
			return { ok: false, error: { code: 'verify_failed', message: `copied tables differ: ${mismatches.map((m) => m.table).join(', ')}`, detail: mismatches } };
		}
		return { ok: true, report: { tables: report, totalRows: report.reduce((s, r) => s + r.rows, 0) } };
	} finally {
		source.close();
		await target.close();
	}
}
