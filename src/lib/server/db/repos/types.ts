/**
 * What a repository function runs its queries on: the database or an open transaction. Repositories are
 * thin drizzle queries (no business rules) so that the SQL stays portable to PostgreSQL.
 */
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { RunResult } from 'better-sqlite3';
import type * as schema from '../schema';

export type Q = BaseSQLiteDatabase<'sync', RunResult, typeof schema>;
