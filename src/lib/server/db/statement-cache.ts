/**
 * Prepared statements kept per SQL text. drizzle builds each query's SQL on every call and asks better-sqlite3
 * to prepare it again: a parse and a query plan each time, for the same few texts. The benchmark (bench/,
 * issue 9) showed `prepare` at ~9% of the server's CPU under a simulated fleet and ~25% of the CPU of
 * recording a result; with this cache each distinct text is prepared once.
 *
 * Safe because every statement run here finishes synchronously (run/get/all; nothing keeps an iterator open),
 * and because a statement comes back from the cache in its default row mode (not raw, pluck or expand):
 * drizzle switches raw mode on itself when it wants arrays, and code that asks for objects gets objects.
 */
import type Database from 'better-sqlite3';

/** Distinct SQL texts kept at most (IN lists of varying length make new texts); the oldest goes first. */
export const MAX_CACHED_STATEMENTS = 2000;

export function cacheStatements(sqlite: Database.Database, max = MAX_CACHED_STATEMENTS): Database.Database {
	const prepare = sqlite.prepare.bind(sqlite);
	const cache = new Map<string, Database.Statement>();
	sqlite.prepare = ((source: string) => {
		let stmt = cache.get(source);
		if (stmt) {
			if (stmt.reader) stmt.raw(false).pluck(false).expand(false);
			return stmt;
		}
		stmt = prepare(source);
		if (cache.size >= max) cache.delete(cache.keys().next().value!);
		cache.set(source, stmt);
		return stmt;
	}) as typeof sqlite.prepare;
	return sqlite;
}
