/**
 * Two settings checked on the real server process: SCOMO_HOST decides the one interface it listens on, and
 * SCOMO_MASTER_KEY_FILE decides where the master key sealing the MAs' signing keys lives (created there with
 * mode 0600, never in the data directory, and the one used to open those keys after a restart).
 */
import { describe, it, expect } from 'vitest';
import http from 'node:http';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { startServerProcess, tempDir } from '../support/server-process';
import { freePort } from '../../src/lib/server/free-port';
import { createMa } from '../support/admin-cli';
import { ApiClient } from '../support/api-client';
import { manifest, bundle } from '../support/test-server';

// Each test starts the server process two or three times; on a loaded 2-core machine one start alone can
// take 20 s, so these get a wider bound than the tier's 60 s default (a bound, not a timing assertion).
const SEVERAL_STARTS_MS = 240_000;

/** The status of GET /healthz at host:port, or the connection error's code. */
function health(host: string, port: number): Promise<number | string> {
	return new Promise((resolve) => {
		const req = http.get({ host, port, path: '/healthz', agent: false }, (res) => {
			res.resume();
			res.once('end', () => resolve(res.statusCode ?? 0));
		});
		req.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
	});
}

describe('SCOMO_HOST', () => {
	it('listens on the configured interface only', async () => {
		// Two loopback addresses: a server on all interfaces would answer on both.
		for (const [host, other] of [
			['127.0.0.1', '127.0.0.2'],
			['127.0.0.2', '127.0.0.1']
		] as const) {
			const port = await freePort(host);
			const s = await startServerProcess({ env: { SCOMO_HOST: host, SCOMO_PORT: String(port) } });
			try {
				expect(await health(host, port)).toBe(200);
				expect(await health(other, port)).toBe('ECONNREFUSED');
			} finally {
				await s.kill();
				rmSync(s.dataDir, { recursive: true, force: true });
			}
		}
	}, SEVERAL_STARTS_MS);
});

describe('SCOMO_MASTER_KEY_FILE', () => {
	it('keeps the master key in the configured file (0600), outside the data directory, and opens the signing keys with it after a restart', async () => {
		const dataDir = tempDir('scomo-mk-data-');
		const keyDir = tempDir('scomo-mk-keys-');
		const keyFile = path.join(keyDir, 'sealing', 'master.key');
		const env = { SCOMO_MASTER_KEY_FILE: keyFile };
		try {
			const ma = createMa(dataDir, 'Acme');
			const first = await startServerProcess({ dataDir, env });
			try {
				// An upload is signed with the MA's key, which is created and sealed under the master key.
				expect((await new ApiClient(first.url, ma.token).uploadPackage(manifest('com.acme.clock', '1.0.0'), bundle('v1'))).status).toBe(201);
			} finally {
				await first.kill();
			}
			expect(statSync(keyFile).mode & 0o777).toBe(0o600);
			expect(existsSync(path.join(dataDir, 'master.key'))).toBe(false);
			const key = readFileSync(keyFile, 'utf8');

			// Restarted with the same file: the sealed signing key opens, so the next upload is signed too.
			const second = await startServerProcess({ dataDir, env });
			try {
				expect((await new ApiClient(second.url, ma.token).uploadPackage(manifest('com.acme.clock', '1.1.0'), bundle('v1.1'))).status).toBe(201);
			} finally {
				await second.kill();
			}
			expect(readFileSync(keyFile, 'utf8')).toBe(key);

			// Pointed at another (new) file, the server cannot open the MA's signing key: nothing gets signed.
			const elsewhere = await startServerProcess({ dataDir, env: { SCOMO_MASTER_KEY_FILE: path.join(keyDir, 'other.key') } });
			try {
				const r = await new ApiClient(elsewhere.url, ma.token).uploadPackage(manifest('com.acme.clock', '1.2.0'), bundle('v1.2'));
				expect(r.status).not.toBe(201);
			} finally {
				await elsewhere.kill();
			}
		} finally {
			rmSync(dataDir, { recursive: true, force: true });
			rmSync(keyDir, { recursive: true, force: true });
		}
	}, SEVERAL_STARTS_MS);
});
