/**
 * Opening the PostgreSQL store (the scale-out engine): postgres.js under drizzle, migrations from
 * drizzle/postgres/ applied at start. postgres.js was chosen over `pg` because it pipelines queries on a
 * connection, prepares statements by default and inserts many rows in one statement from an array, which is
 * what the group-commit write pipeline needs, with no native build.
 */
import postgres from 'postgres';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { fileURLToPath } from 'node:url';
import * as coreSchema from './schema';
import * as authSchema from './schema-auth';
import * as securitySchema from './schema-security';
import * as rolloutSchema from './schema-rollouts';

const schema = { ...coreSchema, ...authSchema, ...securitySchema, ...rolloutSchema };

export type PgDb = PostgresJsDatabase<typeof schema>;
export type PgStore = { db: PgDb; sql: postgres.Sql; close(): Promise<void> };

/** drizzle/postgres/ at the project root, resolved from this file, not from the working directory. */
export const PG_MIGRATIONS_DIR = fileURLToPath(new URL('../../../../../drizzle/postgres', import.meta.url));

export type PgOptions = { max?: number; connectTimeoutSeconds?: number };

/**
 * Connects, checks that the server answers (so an unreachable database fails here, at start, with its own
 * message) and applies the migrations. Rejects with the driver's error when the server cannot be reached.
 */
export async function openPostgresStore(url: string, options: PgOptions = {}): Promise<PgStore> {
	const sql = postgres(url, {
		max: options.max ?? 10,
		connect_timeout: options.connectTimeoutSeconds ?? 10,
		// Migration notices ("relation already exists, skipping") are not the operator's concern.
		onnotice: () => {}
	});
	try {
		await sql`select 1`;
		const db = drizzle(sql, { schema });
		await migrate(db, { migrationsFolder: PG_MIGRATIONS_DIR });
		return { db, sql, close: () => sql.end({ timeout: 5 }) };
	} catch (err) {
		await sql.end({ timeout: 1 }).catch(() => {});
		throw err;
	}
}
