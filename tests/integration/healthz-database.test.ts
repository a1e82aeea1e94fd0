/**
 * /healthz tells the truth about the database: 200 while it answers, 503 with database: false once it
 * cannot be reached (here its connection is closed under the running server), and still an answer.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { rmSync } from 'node:fs';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;

beforeAll(async () => {
	server = await startTestServer();
});
afterAll(async () => {
	await server?.close();
	if (server) rmSync(server.dataDir, { recursive: true, force: true });
});

describe('/healthz', () => {
	it('answers 200 while the database is reachable and 503 once it is not', async () => {
		const before = await fetch(`${server.url}/healthz`);
		expect(before.status).toBe(200);
		expect(await before.json()).toMatchObject({ status: 'ok', database: true, realtime: true });

		server.ctx.store.sqlite.close();
		const after = await fetch(`${server.url}/healthz`);
		expect(after.status).toBe(503);
		expect(after.headers.get('cache-control')).toBe('no-store');
		expect(await after.json()).toMatchObject({ status: 'degraded', database: false, realtime: true });
	});
});
