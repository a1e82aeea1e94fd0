/**
 * Scenario 6, passkey sign-ins per second. The figure: a full sign-in over HTTP against the real server
 * (options, challenge stored, assertion verified, counter, session; passkey-http.ts), with the server's CPU
 * per sign-in first. Beside it, from bench/passkey-signin.ts in its own process: finishSignin on SQLite
 * alone, and @simplewebauthn/server's verifyAuthenticationResponse alone (the raw figure).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BenchContext } from '../lib/context';
import { PROJECT_ROOT } from '../lib/server';
import { round } from '../lib/stats';
import { measureHttpSignin } from './passkey-http';

type PasskeyJson = { figures: { figure: string; perSecond: number; verified: number; total: number }[] };

/**
 * The child's bound: what is left of the run's time limit less a margin for writing the results, at least
 * 30 s (the run's own hard stop comes 15 s after its limit). It used to be the time left less 30 s: late in
 * a run on two busy cores that left the child ~30 s while it needs 20-40 s for --n=200 (most of it loading
 * TypeScript), so a healthy child was killed by SIGTERM and failed with an empty stderr.
 */
const MIN_CHILD_MS = 30_000;
const RESULTS_MARGIN_MS = 10_000;

/** Runs the child; any failure carries its exit code or signal, whether the timeout killed it, and its output. */
function runChild(args: string[], timeoutMs: number): Promise<string> {
	const t0 = Date.now();
	return new Promise((resolve, reject) => {
		execFile(
			process.execPath,
			args,
			{ cwd: PROJECT_ROOT, timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '' } },
			(error, stdout, stderr) => {
				if (!error) return resolve(stdout);
				const e = error as Error & { code?: number | string; signal?: string | null; killed?: boolean };
				const how = e.killed
					? `was killed by its ${timeoutMs} ms timeout (signal ${e.signal})`
					: e.signal
						? `was killed by ${e.signal}`
						: `exited with code ${e.code}`;
				reject(
					new Error(
						`bench/passkey-signin.ts ${how} after ${Date.now() - t0} ms\n--- stderr ---\n${stderr.slice(-4000) || '(empty)'}\n--- stdout ---\n${stdout.slice(-4000) || '(empty)'}`
					)
				);
			}
		);
	});
}

export async function passkeyScenario(ctx: BenchContext) {
	const n = ctx.opts.passkeyN;
	const dir = mkdtempSync(path.join(tmpdir(), 'scomo-bench-passkey-'));
	try {
		const out = path.join(dir, 'passkey-signin.json');
		const timeoutMs = Math.max(MIN_CHILD_MS, Math.min(300_000, ctx.timeLeft() - RESULTS_MARGIN_MS));
		const stdout = await runChild(['--import', 'tsx', 'bench/passkey-signin.ts', `--n=${n}`, `--out=${out}`], timeoutMs);
		const json = JSON.parse(readFileSync(out, 'utf8')) as PasskeyJson;
		const [lib, server] = json.figures;
		if (!lib || !server) throw new Error(`passkey bench printed no figures:\n${stdout}`);
		ctx.check('passkey', 'every assertion verified (library)', lib.verified === lib.total, `${lib.verified}/${lib.total}`);
		ctx.check('passkey', 'every sign-in verified (finishSignin)', server.verified === server.total, `${server.verified}/${server.total}`);
		const httpN = Math.min(n, 500);
		const web = await measureHttpSignin(httpN);
		ctx.check('passkey', 'every sign-in over HTTP got a session', web.ok === web.signins, `${web.ok}/${web.signins}`);
		ctx.details.passkey = { ...json, http: web };
		const libraryRaw = { value: lib.perSecond, what: 'verifyAuthenticationResponse alone' };
		ctx.figure({
			scenario: 'passkey',
			key: 'passkey.serverCpuMsPerOp',
			figure: 'server CPU per full sign-in over HTTP',
			value: round(web.serverCpuMsPerSignin, 3),
			unit: 'ms',
			goal: null,
			raw: { value: round(1000 / lib.perSecond, 3), what: 'verifyAuthenticationResponse alone (wall, one core)' },
			note: `wall ${Math.round(web.ms)} ms for ${web.signins} sign-ins, one after the other`
		});
		ctx.figure({
			scenario: 'passkey',
			key: 'passkey.perSecond',
			figure: 'full passkey sign-ins per second over HTTP (options, challenge, verify, counter, session)',
			value: round(web.perSecond, 0),
			unit: '/s',
			goal: { op: '>=', value: Math.round(0.6 * lib.perSecond) },
			raw: libraryRaw,
			note: 'goal: ≥ 60 % of the library-only verify rate in the same run'
		});
		ctx.figure({
			scenario: 'passkey',
			key: 'passkey.finishSigninPerSecond',
			figure: 'finishSignin on SQLite, in-process (challenge consumed, verify, counter, audit; no HTTP, no session)',
			value: server.perSecond,
			unit: '/s',
			goal: { op: '>=', value: 1000 },
			raw: libraryRaw
		});
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
