/**
 * Benchmark: passkey sign-in verifications per second (issue 5's goal: ≥ 1,000/s on this machine).
 *
 * Real assertions: ES256 key pairs from node:crypto, authenticatorData and clientDataJSON built byte by
 * byte (tests/support/soft-authenticator.ts), each with its own random challenge, verified one after the
 * other by @simplewebauthn/server's verifyAuthenticationResponse exactly as the sign-in endpoint calls it
 * (origin, RP ID, user verification required, stored COSE public key and counter). Generation is not timed.
 * A second figure times the whole server-side step (finishSignin: challenge consumed from SQLite,
 * passkey looked up, verified, counter and audit written) on a real store in a temp directory.
 *
 *   npm run bench:passkey [-- --n=3000] [--out=FILE]
 * Prints a table and writes bench/results/passkey-signin.json (or FILE: `npm run bench` gives each run its
 * own file, so two runs in one checkout never read each other's half-written JSON).
 */
import { verifyAuthenticationResponse } from '@simplewebauthn/server';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { assertion, SoftAuthenticator, type SoftCredential } from '../tests/support/soft-authenticator';
import { openStore } from '../src/lib/server/db/open';
import { issueSetupToken } from '../src/lib/server/auth/first-run';
import { finishRegistration, finishSignin, startRegistration } from '../src/lib/server/auth/ceremonies';
import { saveChallenge } from '../src/lib/server/auth/challenges';
import { relyingParty } from '../src/lib/server/auth/webauthn';

const GOAL_PER_SECOND = 1000;
const N = Number(process.argv.find((a) => a.startsWith('--n='))?.slice(4) ?? 3000);
const OUT = process.argv.find((a) => a.startsWith('--out='))?.slice(6) ?? path.join(import.meta.dirname, 'results', 'passkey-signin.json');
const CREDENTIALS = 50;
const ORIGIN = 'http://localhost:3000';
const RP_ID = 'localhost';

const clientData = (challenge: string) =>
	Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge, origin: ORIGIN, crossOrigin: false }));

/** Pure library throughput: verifyAuthenticationResponse over N distinct real assertions. */
async function libraryFigure(): Promise<{ perSecond: number; ms: number; verified: number }> {
	const auth = new SoftAuthenticator(ORIGIN);
	for (let i = 0; i < CREDENTIALS; i++) auth.register({ challenge: 'setup', rp: { id: RP_ID }, user: { id: randomBytes(16).toString('base64url') } });
	const creds = auth.credentials;
	const work: { response: ReturnType<typeof assertion>; challenge: string; cred: SoftCredential; counter: number }[] = [];
	for (let i = 0; i < N + 200; i++) {
		const cred = creds[i % creds.length]!;
		const counter = cred.signCount;
		cred.signCount += 1;
		const challenge = randomBytes(32).toString('base64url');
		work.push({ response: assertion(cred, clientData(challenge)), challenge, cred, counter });
	}
	const verify = async (w: (typeof work)[number]) =>
		verifyAuthenticationResponse({
			response: w.response,
			expectedChallenge: w.challenge,
			expectedOrigin: ORIGIN,
			expectedRPID: RP_ID,
			requireUserVerification: true,
			credential: { id: w.response.id, publicKey: w.cred.cosePublicKey as Uint8Array<ArrayBuffer>, counter: w.counter }
		});
	// Warm-up (JIT), not counted.
	for (const w of work.slice(0, 200)) await verify(w);
	let verified = 0;
	const t0 = performance.now();
	for (const w of work.slice(200)) if ((await verify(w)).verified) verified++;
	const ms = performance.now() - t0;
	return { perSecond: (N / ms) * 1000, ms, verified };
}

/** The whole server step, finishSignin, on a real SQLite store (challenge, lookup, verify, counter, audit). */
async function serverFigure(): Promise<{ perSecond: number; ms: number; verified: number }> {
	const dir = mkdtempSync(path.join(tmpdir(), 'scomo-bench-'));
	const store = openStore(path.join(dir, 'bench.db'));
	try {
		const rp = relyingParty(ORIGIN);
		let now = Date.now();
		const auth = new SoftAuthenticator(ORIGIN);
		for (let i = 0; i < 10; i++) {
			const { token } = issueSetupToken(store.db, now);
			const opts = await startRegistration({ db: store.db, rp, now }, { kind: 'setup', token, maName: `MA ${i}`, displayName: `Admin ${i}` }, null);
			if (!opts.ok) throw new Error(opts.error.message);
			const done = await finishRegistration({ db: store.db, rp, now }, auth.register(opts.value as never) as never, 'key', null);
			if (!done.ok) throw new Error(done.error.message);
		}
		const count = Math.min(N, 2000);
		const responses = [];
		for (let i = 0; i < count + 100; i++) {
			const challenge = randomBytes(32).toString('base64url');
			saveChallenge(store.db, { challenge, purpose: 'signin' }, now);
			const cred = auth.credentials[i % auth.credentials.length]!;
			cred.signCount += 1;
			responses.push(assertion(cred, clientData(challenge)));
		}
		for (const r of responses.slice(0, 100)) await finishSignin({ db: store.db, rp, now: ++now }, r as never);
		let verified = 0;
		const t0 = performance.now();
		for (const r of responses.slice(100)) if ((await finishSignin({ db: store.db, rp, now: ++now }, r as never)).ok) verified++;
		const ms = performance.now() - t0;
		return { perSecond: (count / ms) * 1000, ms, verified };
	} finally {
		store.close();
		rmSync(dir, { recursive: true, force: true });
	}
}

async function main() {
	const lib = await libraryFigure();
	const server = await serverFigure();
	const rows = [
		{ figure: 'verifyAuthenticationResponse (ES256, UV required)', perSecond: lib.perSecond, verified: lib.verified, total: N },
		{ figure: 'finishSignin on SQLite (challenge + verify + counter + audit)', perSecond: server.perSecond, verified: server.verified, total: Math.min(N, 2000) }
	];
	console.log(`passkey sign-in verifications, one core, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
	console.log('| figure | per second | goal | ratio | verified |');
	console.log('|---|---:|---:|---:|---:|');
	for (const r of rows)
		console.log(`| ${r.figure} | ${r.perSecond.toFixed(0)} | ≥ ${GOAL_PER_SECOND} | ${(r.perSecond / GOAL_PER_SECOND).toFixed(2)} | ${r.verified}/${r.total} |`);
	const result = {
		benchmark: 'passkey-signin',
		at: new Date().toISOString(),
		node: process.version,
		cpu: cpus()[0]?.model ?? null,
		goalPerSecond: GOAL_PER_SECOND,
		figures: rows.map((r) => ({ ...r, perSecond: Math.round(r.perSecond), ratio: Number((r.perSecond / GOAL_PER_SECOND).toFixed(3)) }))
	};
	mkdirSync(path.dirname(OUT), { recursive: true });
	writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
	if (lib.verified !== N || server.verified !== rows[1]!.total) {
		console.error('some assertions did not verify: the benchmark is invalid');
		process.exitCode = 1;
	}
}

void main();
