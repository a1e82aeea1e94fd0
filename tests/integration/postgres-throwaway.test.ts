/**
 * On a machine where no PostgreSQL answers, the test setup starts a throwaway cluster (initdb into a temp
 * folder, a free port; as root, as the `postgres` user) instead of skipping the tier. This starts one for
 * real, migrates a store on it and stops it, so the fallback is known to work before a machine needs it.
 */
import { describe, expect, it } from 'vitest';
import { answers, createTestDatabase, startThrowawayCluster } from '../support/postgres';
import { openPostgresStore } from '../../src/lib/server/db/postgres/open';

describe('throwaway PostgreSQL cluster', () => {
	it('starts on a free port, serves a migrated store, and is gone after stop', async () => {
		const server = await startThrowawayCluster();
		let stopped = false;
		try {
			expect(server.source).toBe('throwaway');
			expect(await answers(server.adminUrl)).toBe(true);
			const db = await createTestDatabase(server.adminUrl);
			const store = await openPostgresStore(db.url);
			const [row] = await store.sql<{ n: number }[]>`select count(*)::int as n from management_authorities`;
			expect(row?.n).toBe(0);
			await store.close();
			await db.drop();
			await server.stop();
			stopped = true;
			expect(await answers(server.adminUrl)).toBe(false);
		} finally {
			if (!stopped) await server.stop();
		}
	});

	it('an unreachable server fails at open with the driver error', async () => {
		await expect(openPostgresStore('postgres://postgres@127.0.0.1:1/none', { connectTimeoutSeconds: 2 })).rejects.toThrow(
			/ECONNREFUSED|connect/
		);
	});
});
