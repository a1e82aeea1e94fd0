/**
 * Sessions and rate limits against the real server process (built app, real SQLite), with real passkeys
 * from the software authenticator: first-run link, cookie attributes, rotation on sign-in, sign out,
 * sign out everywhere, single-use challenges, 429 on the authentication endpoints, Secure behind https.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { PROJECT_ROOT, startServerProcess, tempDir, type ServerProcess } from '../support/server-process';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { track } from '../support/cleanup';
import { getWithJar, ownerFromSetupLink, postForm, postJson, registerOverHttp, signInOverHttp, type Jar } from '../support/admin-http';

let s: ServerProcess;
let setupPath: string;

beforeAll(async () => {
	s = await startServerProcess();
	// The server writes the link to its 0600 file; its output is not a terminal, so the link is not printed,
	// only where to find it.
	await s.waitForOutput(/setup link/);
	const fromFile = readFileSync(path.join(s.dataDir, 'setup-link.txt'), 'utf8').trim();
	expect(s.output()).not.toContain(new URL(fromFile).searchParams.get('token'));
	setupPath = new URL(fromFile).pathname + new URL(fromFile).search;
});
afterAll(async () => {
	await s?.kill();
});

describe('administrator sessions', () => {
	// The owner every test signs in as (the one-time link can be used once per server, so once per file).
	let auth: SoftAuthenticator;
	let setupJar: Jar;
	beforeAll(async () => {
		({ auth, jar: setupJar } = await ownerFromSetupLink(s.url, setupPath, 'Acme'));
	});

	/** A fresh session of the owner in its own jar: each test signs in for itself. */
	async function signedIn(): Promise<Jar> {
		const jar: Jar = new Map();
		expect((await signInOverHttp(s.url, auth, jar)).status).toBe(200);
		return jar;
	}

	it('the first-run link creates the owner and an HttpOnly, SameSite=Lax session cookie (not Secure on http)', async () => {
		const jar = setupJar;
		expect(jar.get('scomo_session')).toMatch(/^[A-Za-z0-9_-]{40,}$/);
		const res = await registerOverHttp(s.url, { kind: 'setup', token: new URL(setupPath, s.url).searchParams.get('token'), maName: 'X', displayName: 'Y' }, new SoftAuthenticator(s.url)).catch((e: Error) => e);
		expect(String(res)).toContain('404'); // used once already
		const account = await getWithJar(s.url, '/admin/account', jar);
		expect(account.status).toBe(200);
	});

	it('signing in rotates the session: the old cookie value stops working', async () => {
		const jar = await signedIn();
		const before = jar.get('scomo_session')!;
		const res = await signInOverHttp(s.url, auth, jar);
		expect(res.status).toBe(200);
		const cookie = res.headers.getSetCookie().find((c) => c.startsWith('scomo_session='))!;
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Lax/i);
		expect(cookie).not.toMatch(/Secure/i);
		expect(jar.get('scomo_session')).not.toBe(before);
		const old = await getWithJar(s.url, '/admin/account', new Map([['scomo_session', before]]));
		expect(old.status).toBe(303);
		expect(old.headers.get('location')).toMatch(/^\/admin\/signin/);
	});

	it('a sign-in challenge answers once', async () => {
		const opts = await postJson(s.url, '/auth/signin/options', {});
		const response = auth.assert((await opts.json()) as never);
		expect((await postJson(s.url, '/auth/signin/verify', { response })).status).toBe(200);
		const replay = await postJson(s.url, '/auth/signin/verify', { response });
		expect(replay.status).toBe(401);
		expect((await replay.json()).error.code).toBe('unauthenticated');
	});

	it('sign out ends one session; sign out everywhere ends all of them', async () => {
		const jar = await signedIn();
		const other: Jar = new Map();
		expect((await signInOverHttp(s.url, auth, other)).status).toBe(200);
		const third: Jar = new Map();
		expect((await signInOverHttp(s.url, auth, third)).status).toBe(200);

		const out = await postForm(s.url, '/auth/signout', {}, third);
		expect(out.status).toBe(303);
		expect(third.has('scomo_session')).toBe(false);
		expect((await getWithJar(s.url, '/admin', new Map([['scomo_session', 'x'.repeat(43)]]))).status).toBe(303);

		expect((await getWithJar(s.url, '/admin', other)).status).toBe(200);
		const everywhere = await postForm(s.url, '/admin/account?/signoutEverywhere', {}, jar);
		expect(everywhere.status).toBe(303);
		expect((await getWithJar(s.url, '/admin', other)).status).toBe(303);
	});

	it('malformed bodies are refused with the contract error shape', async () => {
		const res = await postJson(s.url, '/auth/register/options', { kind: 'setup', token: 'short' });
		expect(res.status).toBe(400);
		expect((await res.json()).error.code).toBe('invalid_request');
	});

	// Last: it spends this client's budget.
	it('the authentication endpoints answer 429 with Retry-After when hammered', async () => {
		const statuses: number[] = [];
		let retryAfter: string | null = null;
		// A burst of 100 is allowed (AUTH_BURST), refilled at 2/s: 150 quick requests must meet the limit.
		for (let i = 0; i < 150; i++) {
			const r = await postJson(s.url, '/auth/signin/options', {});
			statuses.push(r.status);
			if (r.status === 429) retryAfter = r.headers.get('retry-after');
		}
		expect(statuses).toContain(429);
		expect(statuses.slice(0, 5).every((x) => x === 200)).toBe(true);
		expect(Number(retryAfter)).toBeGreaterThan(0);
		// Pages and other endpoints are not limited.
		expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
	});
});

describe('behind https', () => {
	it('the session cookie is Secure when the public origin is https', async () => {
		const port = 20000 + Math.floor(Math.random() * 20000);
		const origin = `https://localhost:${port}`;
		// startServerProcess waits for an http:// URL; this server announces its https origin.
		const dataDir = tempDir();
		const child = track(
			spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
				cwd: PROJECT_ROOT,
				env: { PATH: process.env.PATH ?? '', SCOMO_PORT: String(port), SCOMO_ORIGIN: origin, SCOMO_DATA_DIR: dataDir, SCOMO_LOG_LEVEL: 'warn' },
				stdio: ['ignore', 'pipe', 'pipe']
			})
		);
		let out = '';
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`no start:\n${out}`)), 30_000);
			child.stderr!.on('data', (d) => (out += d));
			child.stdout!.on('data', (d) => {
				out += d;
				if (out.includes('setup link')) {
					clearTimeout(timer);
					resolve();
				}
			});
			child.once('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
		});
		const h = { dataDir, kill: () => new Promise((r) => (child.once('exit', r), child.kill('SIGTERM'))) };
		try {
			const link = readFileSync(path.join(h.dataDir, 'setup-link.txt'), 'utf8').trim();
			const token = new URL(link).searchParams.get('token');
			expect(link.startsWith(origin)).toBe(true);
			const base = `http://localhost:${port}`;
			const opts = await postJson(base, '/auth/register/options', { kind: 'setup', token, maName: 'TLS', displayName: 'T' });
			// The passkey is bound to the public origin, as a browser on https would report it.
			const response = new SoftAuthenticator(origin).register((await opts.json()) as never);
			const res = await postJson(base, '/auth/register/verify', { response });
			expect(res.status).toBe(200);
			const cookie = res.headers.getSetCookie().find((c) => c.startsWith('scomo_session='))!;
			expect(cookie).toMatch(/; Secure/i);
		} finally {
			await h.kill();
		}
	});
});
