/**
 * The two engines' schemas must not drift: a fresh SQLite store and a fresh PostgreSQL database, each
 * migrated from its own drizzle folder (drizzle/sqlite, drizzle/postgres) exactly as the server does at
 * start, have the same tables, columns, keys, indexes and foreign keys.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import path from 'node:path';
import { openStore, type Store } from '../../src/lib/server/db/open';
import { openPostgresStore, type PgStore } from '../../src/lib/server/db/postgres/open';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { diffShapes, postgresShape, sqliteShape, type SchemaShape } from '../support/schema-shape';
import { tempDir } from '../support/cleanup';

let sqlite: Store;
let pgDb: TestDatabase;
let pg: PgStore;
let sqliteSide: SchemaShape;
let postgresSide: SchemaShape;

beforeAll(async () => {
	sqlite = openStore(path.join(tempDir(), 'drift.db'));
	pgDb = await createTestDatabase(inject('postgresAdminUrl'));
	pg = await openPostgresStore(pgDb.url);
	sqliteSide = sqliteShape(sqlite.sqlite);
	postgresSide = await postgresShape(pg.sql);
});

afterAll(async () => {
	sqlite?.close();
	await pg?.close();
	await pgDb?.drop();
});

describe('schema drift between SQLite and PostgreSQL', () => {
	it('both migrated stores have the same tables, columns, keys and indexes', () => {
		expect(Object.keys(sqliteSide).length).toBeGreaterThan(15);
		expect(diffShapes(sqliteSide, postgresSide)).toEqual([]);
	});

	it('the comparison names what differs (a dropped index, a nullable column, a missing table)', () => {
		const altered: SchemaShape = structuredClone(postgresSide);
		delete altered.operations!.indexes.operations_batch_device_idx;
		altered.devices!.columns.model!.nullable = true;
		delete altered.audit_events;
		expect(diffShapes(sqliteSide, altered)).toEqual([
			'table audit_events: only in sqlite',
			'devices.model: sqlite {"kind":"text","nullable":false}, postgres {"kind":"text","nullable":true}',
			'operations index operations_batch_device_idx: sqlite {"unique":false,"columns":["batch_id","device_id","status"]}, postgres null'
		]);
	});

	it('reopening migrates nothing twice (start-up applies the folder again on each start)', async () => {
		const again = await openPostgresStore(pgDb.url);
		try {
			expect(await postgresShape(again.sql)).toEqual(postgresSide);
		} finally {
			await again.close();
		}
	});
});
