/**
 * Prepared drizzle queries for the hot paths, built once per database handle. drizzle's query builder
 * rebuilds a query's SQL on every call (the bench's CPU profile of recording a result: most of its time in
 * drizzle's SQL building, not in SQLite); a query prepared with placeholders skips all of it and only binds
 * values. Keyed by the handle the repository is called with: services and the group commit pass the root
 * handle, so each query is built once per process.
 */
import type { Q } from './repos/types';

const caches = new WeakMap<object, Map<string, unknown>>();

export function prepared<T>(q: Q, key: string, build: (q: Q) => T): T {
	let cache = caches.get(q);
	if (!cache) caches.set(q, (cache = new Map()));
	let query = cache.get(key) as T | undefined;
	if (query === undefined) cache.set(key, (query = build(q)));
	return query;
}
