/**
 * Moving up: `npm run admin -- migrate-store --from sqlite:<file> --to postgres://...` copies a populated
 * store (a real fleet's: MA, keys, enrollment, package, operations, audit) into an empty PostgreSQL database
 * and verifies it; a second run into the now non-empty database is refused and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import Database from 'better-sqlite3';
import path from 'node:path';
import postgres from 'postgres';
import { startFleet, runOperation, type Fleet } from '../support/fleet';
import { adminCliAsync } from '../support/admin-cli';
import { createTestDatabase, type TestDatabase } from '../support/postgres';

const CLOCK = 'com.example.clock';
let fleet: Fleet;
let target: TestDatabase;
let sqliteFile: string;

beforeAll(async () => {
	fleet = await startFleet({ packages: [[CLOCK, '1.0.0']] });
	expect(await runOperation(fleet, { kind: 'DownloadInstall', componentId: CLOCK })).toMatchObject({ status: 'completed', resultCode: 1200 });
	expect(await runOperation(fleet, { kind: 'Start', componentId: CLOCK })).toMatchObject({ status: 'completed', resultCode: 1200 });
	await fleet.close();
	sqliteFile = path.join(fleet.server.dataDir, 'scomo.db');
	target = await createTestDatabase(inject('postgresAdminUrl'));
});

afterAll(async () => {
	await target?.drop();
});

function sqliteCounts(): Record<string, number> {
	const db = new Database(sqliteFile, { readonly: true });
	try {
		const tables = db.prepare(`select name from sqlite_master where type = 'table' and name not in ('__drizzle_migrations', 'sqlite_sequence')`).all() as { name: string }[];
		return Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`select count(*) as n from "${name}"`).get() as { n: number }).n]));
	} finally {
		db.close();
	}
}

type Report = { tables: { table: string; rows: number; checksum: string }[]; totalRows: number };

describe('migrate-store', () => {
	it('copies every table of a populated SQLite store into PostgreSQL, with matching counts and checksums', async () => {
		const report = await adminCliAsync<Report>(fleet.server.dataDir, ['migrate-store', '--from', `sqlite:${sqliteFile}`, '--to', target.url]);
		const counts = sqliteCounts();
		expect(Object.fromEntries(report.tables.map((t) => [t.table, t.rows]))).toEqual(counts);
		for (const table of ['management_authorities', 'devices', 'enrollments', 'packages', 'package_versions', 'operations', 'audit_events', 'ma_signing_keys', 'batch_envelopes', 'inventory']) {
			expect(counts[table], table).toBeGreaterThan(0);
		}
		expect(report.totalRows).toBe(Object.values(counts).reduce((a, b) => a + b, 0));

		const sql = postgres(target.url, { max: 1 });
		try {
			const ops = await sql<{ kind: string; status: string; result_code: number }[]>`select kind, status, result_code from operations order by created_at`;
			expect(ops.map((o) => [o.kind, o.status, Number(o.result_code)])).toEqual([
				['DownloadInstall', 'completed', 1200],
				['Start', 'completed', 1200]
			]);
			const [inv] = await sql<{ component_id: string; operational_state: string }[]>`select component_id, operational_state from inventory`;
			expect(inv).toMatchObject({ component_id: CLOCK, operational_state: 'Running' });
		} finally {
			await sql.end();
		}
	});

	it('refuses a target that already holds data and leaves it as it was', async () => {
		const before = sqliteCounts();
		await expect(
			adminCliAsync(fleet.server.dataDir, ['migrate-store', '--from', `sqlite:${sqliteFile}`, '--to', target.url])
		).rejects.toThrow(/target_not_empty|already has rows/);
		const sql = postgres(target.url, { max: 1 });
		try {
			const [row] = await sql<{ n: number }[]>`select count(*)::int as n from operations`;
			expect(row?.n).toBe(before.operations);
		} finally {
			await sql.end();
		}
	});

	it('a missing source or a wrong URL gets a clear message and a non-zero exit', async () => {
		await expect(adminCliAsync(fleet.server.dataDir, ['migrate-store', '--from', 'sqlite:/nonexistent/x.db', '--to', target.url])).rejects.toThrow(
			/no SQLite store at \/nonexistent\/x.db/
		);
		await expect(adminCliAsync(fleet.server.dataDir, ['migrate-store', '--from', `sqlite:${sqliteFile}`, '--to', 'mysql://x'])).rejects.toThrow(
			/--to must be a postgres:\/\/ URL/
		);
	});
});
