/**
 * Scenario 6, passkey sign-in verifications per second: bench/passkey-signin.ts (the passkey helper's
 * benchmark) in its own process. Product figure: finishSignin on SQLite (challenge consumed, passkey looked
 * up, assertion verified, counter and audit written); raw: @simplewebauthn/server's
 * verifyAuthenticationResponse alone over the same kind of assertions.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BenchContext } from '../lib/context';
import { PROJECT_ROOT } from '../lib/server';

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
		ctx.details.passkey = json;
		ctx.figure({
			scenario: 'passkey',
			key: 'passkey.perSecond',
			figure: 'passkey sign-in verifications per second (finishSignin on SQLite)',
			value: server.perSecond,
			unit: '/s',
			goal: { op: '>=', value: 1000 },
			raw: { value: lib.perSecond, what: 'verifyAuthenticationResponse alone' }
		});
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
