/**
 * The first-run setup ceremony is rate limited per client address (hooks.server.ts, AUTH_BURST then
 * AUTH_PER_SECOND): someone guessing setup tokens meets 429 with Retry-After after the burst, and the real
 * one-time link is neither used up nor invalidated by the flood. Its own server: this spends the test
 * process's budget.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { rmSync } from 'node:fs';
import { startTestServer, type TestServer } from '../support/test-server';
import { postJson } from '../support/admin-http';
import { firstRunLink } from '../../src/lib/server/auth/first-run';
import { AUTH_BURST } from '../../src/lib/server/auth/rate-limit';

let server: TestServer;

beforeAll(async () => {
	server = await startTestServer();
});
afterAll(async () => {
	await server?.close();
	if (server) rmSync(server.dataDir, { recursive: true, force: true });
});

describe('setup endpoint rate limit', () => {
	it('answers guessed setup tokens 404 until the burst is spent, then 429 with Retry-After; the real link stays valid', async () => {
		const link = new URL(firstRunLink(server.ctx.store.db, server.url, server.dataDir, server.ctx.clock())!);
		const statuses: number[] = [];
		let limited: Response | null = null;
		// Stops at the first 429; the bound only keeps a broken limiter from looping for ever.
		for (let i = 0; i < AUTH_BURST * 10 && !limited; i++) {
			const guess = `guess${i.toString().padStart(40, '0')}`;
			const r = await postJson(server.url, '/auth/register/options', { kind: 'setup', token: guess, maName: 'Evil', displayName: 'Eve' });
			if (r.status === 429) limited = r;
			else {
				statuses.push(r.status);
				await r.body?.cancel();
			}
		}
		expect(limited).not.toBeNull();
		// At least the whole burst was answered on its merits (refills may add a few more).
		expect(statuses.length).toBeGreaterThanOrEqual(AUTH_BURST);
		expect(new Set(statuses)).toEqual(new Set([404]));
		expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
		expect((await limited!.json()).error.code).toBe('rate_limited');

		// The flood used nothing up: the real link still opens the setup page as valid, and no MA exists.
		const page = await fetch(`${server.url}${link.pathname}${link.search}`);
		expect(page.status).toBe(200);
		expect(await page.text()).not.toContain('Setup link not valid');
		const guessed = await fetch(`${server.url}/setup?token=${'x'.repeat(43)}`);
		expect(await guessed.text()).toContain('Setup link not valid');
		expect(server.ctx.store.sqlite.prepare('select count(*) as n from management_authorities').get()).toEqual({ n: 0 });
	});
});
