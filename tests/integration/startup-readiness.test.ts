/**
 * Start-up readiness: a request that reaches the server while it is still starting must get an answer.
 * The server used to listen() before its SvelteKit handler was attached, so a request accepted in that
 * window stayed open for ever. Here clients keep connecting from the moment the process is spawned until
 * it prints "running at"; every connection the server accepts must be answered (a hang fails the test by
 * its timeout), and a refused connection (nothing listening yet) is simply tried again.
 */
import { describe, it, expect } from 'vitest';
import http from 'node:http';
import { rmSync } from 'node:fs';
import { startServerProcess, tempDir } from '../support/server-process';
import { freePort } from '../../src/lib/server/free-port';

type Outcome = { kind: 'answered'; status: number } | { kind: 'refused' } | { kind: 'broken'; error: string };

function getHealth(port: number): Promise<Outcome> {
	return new Promise((resolve) => {
		const req = http.get({ host: 'localhost', port, path: '/healthz', agent: false }, (res) => {
			res.resume();
			res.once('end', () => resolve({ kind: 'answered', status: res.statusCode ?? 0 }));
		});
		req.once('error', (e: NodeJS.ErrnoException) =>
			resolve(e.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'broken', error: `${e.code ?? ''} ${e.message}` })
		);
	});
}

describe('start-up readiness', () => {
	it('answers every request that arrives while the server starts', async () => {
		const port = await freePort();
		const dataDir = tempDir('scomo-ready-');
		let started = false;
		const answered: number[] = [];
		const broken: string[] = [];
		// Each prober asks again as soon as its previous request ended; it stops once the server says it runs.
		const prober = async () => {
			while (!started) {
				const outcome = await getHealth(port);
				if (outcome.kind === 'answered') answered.push(outcome.status);
				if (outcome.kind === 'broken') broken.push(outcome.error);
			}
		};
		const probers = [prober(), prober(), prober()];
		const server = await startServerProcess({ dataDir, env: { SCOMO_PORT: String(port) } }).finally(() => {
			started = true;
		});
		try {
			await Promise.all(probers);
			// After "running at" the server answers at once, too.
			expect(await getHealth(port)).toEqual({ kind: 'answered', status: 200 });
		} finally {
			await server.kill();
			rmSync(dataDir, { recursive: true, force: true });
		}
		expect(broken).toEqual([]);
		expect(answered.length).toBeGreaterThan(0);
		expect(answered.every((s) => s === 200)).toBe(true);
	});
});
