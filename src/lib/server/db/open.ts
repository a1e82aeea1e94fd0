/**
 * Opening the embedded store: better-sqlite3 in WAL mode, migrations from drizzle/sqlite/ applied at start.
 * Opened lazily by whoever starts the server, never at import time (vite build imports server modules).
 */
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { fileURLToPath } from 'node:url';
import * as coreSchema from './schema';
import * as authSchema from './schema-auth';
import * as securitySchema from './schema-security';
import * as rolloutSchema from './schema-rollouts';
import { cacheStatements } from './statement-cache';
import { compareVersions } from '../../core/semver';

/** Every table, for drizzle's relational queries: the product's, the administrators' (auth) and command security's. */
const schema = { ...coreSchema, ...authSchema, ...securitySchema, ...rolloutSchema };

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
export type Store = { db: Db; sqlite: Database.Database; close(): void };

/** drizzle/sqlite/ at the project root, resolved from this file, not from the working directory. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../../drizzle/sqlite', import.meta.url));

export function openStore(file: string, migrationsFolder = MIGRATIONS_DIR): Store {
	// Each distinct SQL text is prepared once (statement-cache.ts: drizzle re-prepares on every call).
	const sqlite = cacheStatements(new Database(file));
	// WAL: readers never block the writer; NORMAL sync is durable across process crashes in WAL mode.
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('synchronous = NORMAL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	// Device filters compare component versions by semver in SQL (repos/device-list.ts), with the core's own rule.
	sqlite.function('scomo_compare_versions', { deterministic: true }, (a: unknown, b: unknown) =>
		a === null || b === null ? null : Math.sign(compareVersions(String(a), String(b)))
	);
	const db = drizzle(sqlite, { schema });
	migrate(db, { migrationsFolder });
	return {
		db,
		sqlite,
		close() {
			if (sqlite.open) sqlite.close();
		}
	};
}
