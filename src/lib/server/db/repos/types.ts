/**
 * What a repository function runs its queries on: the database or an open transaction. Repositories are
 * thin drizzle queries (no business rules) so that the SQL stays portable to PostgreSQL.
 */
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { RunResult } from 'better-sqlite3';
import type * as coreSchema from '../schema';
import type * as authSchema from '../schema-auth';
import type * as securitySchema from '../schema-security';
import type * as rolloutSchema from '../schema-rollouts';

/** Every table, as the store opens them (db/open.ts): the product's, the administrators', command security's and rollouts'. */
type Schema = typeof coreSchema & typeof authSchema & typeof securitySchema & typeof rolloutSchema;

export type Q = BaseSQLiteDatabase<'sync', RunResult, Schema>;
