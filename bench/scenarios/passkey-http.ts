/**
 * The passkey figure as an administrator lives it: a full sign-in over HTTP against the real server
 * (`node --import tsx server.ts`): POST /auth/signin/options (a challenge stored), the software
 * authenticator's ES256 assertion, POST /auth/signin/verify (challenge consumed, passkey looked up, verified,
 * counter and audit written, session created, cookie set). One after the other, so the rate is the server's
 * cost per sign-in; its CPU is read from /proc.
 *
 * The product limits sign-in attempts per client address (100 in a burst): each request leaves from its own
 * loopback source address in turn (127.0.2.x), so the limiter never answers for the server's work.
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseConfig } from '../../src/lib/server/config';
import { createApp } from '../../src/lib/server/create-app';
import { createLogger } from '../../src/lib/server/logger';
import { issueSetupToken } from '../../src/lib/server/auth/first-run';
import { SoftAuthenticator } from '../../tests/support/soft-authenticator';
import { cpuSecondsOf, startBenchServer } from '../lib/server';

/** Sign-ins per source address (two counted requests each) stay well inside the limiter's burst of 100. */
const PER_ADDRESS = 40;

type Reply = { status: number; body: string; cookies: string[] };

function post(base: string, route: string, body: unknown, localAddress: string, cookie = ''): Promise<Reply> {
	const url = new URL(route, base);
	const data = JSON.stringify(body);
	return new Promise((resolve, reject) => {
		const req = http.request(
			{
				host: url.hostname,
				port: url.port,
				path: url.pathname,
				method: 'POST',
				localAddress,
				headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), origin: base, ...(cookie ? { cookie } : {}) }
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (d: string) => (text += d));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, cookies: res.headers['set-cookie'] ?? [] }));
			}
		);
		req.on('error', reject);
		req.end(data);
	});
}

const address = (i: number) => `127.0.2.${1 + (Math.floor(i / PER_ADDRESS) % 250)}`;

export type HttpSigninFigures = { signins: number; ok: number; perSecond: number; serverCpuMsPerSignin: number; ms: number };

export async function measureHttpSignin(n: number): Promise<HttpSigninFigures> {
	const dataDir = mkdtempSync(path.join(tmpdir(), 'scomo-bench-signin-'));
	const setup = createApp(parseConfig({ SCOMO_DATA_DIR: dataDir, SCOMO_LOG_LEVEL: 'silent' }), { log: createLogger('silent') });
	const { token } = issueSetupToken(setup.store.db, Date.now());
	setup.store.close();
	const server = await startBenchServer({ dataDir });
	try {
		const base = server.url;
		const auth = new SoftAuthenticator(base);
		// The owner's passkey, registered over HTTP as the setup page does.
		const opts = await post(base, '/auth/register/options', { kind: 'setup', token, maName: 'Signin MA', displayName: 'Owner' }, address(0));
		if (opts.status !== 200) throw new Error(`register options answered ${opts.status}: ${opts.body}`);
		const cookie = opts.cookies.map((c) => c.split(';')[0]).join('; ');
		const reg = await post(base, '/auth/register/verify', { response: auth.register(JSON.parse(opts.body) as never), passkeyName: 'bench' }, address(0), cookie);
		if (reg.status !== 200) throw new Error(`register verify answered ${reg.status}: ${reg.body}`);
		const signin = async (i: number) => {
			const o = await post(base, '/auth/signin/options', {}, address(i));
			if (o.status !== 200) return false;
			const v = await post(base, '/auth/signin/verify', { response: auth.assert(JSON.parse(o.body) as never) }, address(i));
			return v.status === 200 && v.cookies.some((c) => c.length > 0);
		};
		for (let i = 0; i < Math.min(20, n); i++) await signin(n + i); // warm-up (JIT), not counted
		const cpu0 = cpuSecondsOf(server.pid);
		let ok = 0;
		const t0 = performance.now();
		for (let i = 0; i < n; i++) if (await signin(i)) ok++;
		const ms = performance.now() - t0;
		return { signins: n, ok, perSecond: (n / ms) * 1000, serverCpuMsPerSignin: ((cpuSecondsOf(server.pid) - cpu0) * 1000) / n, ms };
	} finally {
		await server.stop();
		rmSync(dataDir, { recursive: true, force: true });
	}
}
