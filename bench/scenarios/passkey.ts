/**
 * Scenario 6, passkey sign-in verifications per second: bench/passkey-signin.ts (the passkey helper's
 * benchmark) in its own process. Product figure: finishSignin on SQLite (challenge consumed, passkey looked
 * up, assertion verified, counter and audit written); raw: @simplewebauthn/server's
 * verifyAuthenticationResponse alone over the same kind of assertions.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BenchContext } from '../lib/context';
import { PROJECT_ROOT } from '../lib/server';

type PasskeyJson = { figures: { figure: string; perSecond: number; verified: number; total: number }[] };

export async function passkeyScenario(ctx: BenchContext) {
	const n = ctx.opts.passkeyN;
	const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/passkey-signin.ts', `--n=${n}`], {
		cwd: PROJECT_ROOT,
		timeout: Math.max(30_000, Math.min(300_000, ctx.timeLeft() - 30_000)),
		env: { ...process.env, NODE_OPTIONS: '' }
	});
	const json = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'bench/results/passkey-signin.json'), 'utf8')) as PasskeyJson;
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
}
