/**
 * `npm run bench`: the product under simulated fleets, measured against the goals of issue 9 and side by
 * side with the raw stack in the same run: like for like (plain socket.io and better-sqlite3 doing the same
 * messages, bytes, signatures and writes per operation, bench/baseline), a plain broadcast as the floor, and
 * the WebAuthn library alone.
 *
 *   npm run bench                      10k devices, every scenario, raw baseline
 *   npm run bench -- --quick           50 devices, short: the correctness mode CI runs (tests/integration/bench-quick.test.ts)
 *   npm run bench -- --fleet 19000     a larger connected fleet (one server process holds < 20k sockets here)
 *   npm run bench -- --scenario fanout --scenario storm
 *   (all flags: bench/lib/args.ts)
 *
 * What runs: the real server (`node --import tsx server.ts`, built app) on localhost with its own data
 * directory in /tmp; simulator processes (bench/simulator) each running thousands of devices on the real
 * device runtime, bound to loopback source addresses 127.0.0.2, 127.0.0.3, ...; nothing leaves 127.0.0.0/8.
 * Every wait is bounded and the whole run stops by itself (--time-limit). Prints a table and writes
 * bench/results/<timestamp>.json and bench/results/latest.json. Exit code 1 when a correctness check fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ApiClient } from '../tests/support/api-client';
import { parseArgs, type ScenarioName } from './lib/args';
import { BenchContext } from './lib/context';
import { goalMet, printChecks, printTable, ratioToGoal, ratioToRaw, writeResults } from './lib/report';
import { cpuSecondsOf, openFileLimit, PROJECT_ROOT, startBenchServer, type BenchServer } from './lib/server';
import { round } from './lib/stats';
import { BENCH_BUNDLE, BENCH_MANIFEST, ownerOf, prepareDataDir } from './lib/setup';
import { signInOverHttp } from '../tests/support/admin-http';
import { split, startSimulators, stopSimulators, type Simulator } from './lib/sim-pool';
import { runRawSocketIo } from './baseline/raw-socketio';
import { fleetScenario } from './scenarios/fleet';
import { fanoutScenario } from './scenarios/fanout';
import { sustainedScenario } from './scenarios/sustained';
import { stormScenario } from './scenarios/storm';
import { persistenceScenario } from './scenarios/persistence';
import { passkeyScenario } from './scenarios/passkey';
import { listsScenario } from './scenarios/lists';

const LIVE: ScenarioName[] = ['fleet', 'fanout', 'sustained', 'storm'];
/** Sockets a server process keeps for itself (database, logs, listening socket, HTTP requests of the bench). */
const FD_RESERVE = 400;

const children: { server: BenchServer | null; sims: Simulator[]; dirs: string[] } = { server: null, sims: [], dirs: [] };

function killEverything(): void {
	children.server?.child.kill('SIGKILL');
	for (const s of children.sims) s.child.kill('SIGKILL');
	for (const d of children.dirs) rmSync(d, { recursive: true, force: true });
}

/**
 * Were the commands of this run signed and verified? Taken from the run itself: how many operations each
 * device verified (MA signature and Merkle proof) before running them, of all the scenarios checked.
 */
function commandSigning(ctx: BenchContext): string {
	const { verified, of } = ctx.signatures;
	if (of === 0) return 'no operations ran';
	return verified === of
		? `signed and verified (${verified}/${of} operations verified by their device)`
		: `NOT all verified: ${verified}/${of} operations verified by their device`;
}

const deviceText = (kind: 'runtime' | 'lean') =>
	kind === 'lean'
		? 'lean protocol devices (real Ed25519 auth, runtime command verification, signed results; no journal/consent/runner)'
		: 'the real device runtime (DeviceRuntime + in-memory adapters) per simulated device';

async function step(ctx: BenchContext, name: string, fn: () => unknown | Promise<unknown>): Promise<boolean> {
	if (ctx.timeLeft() < 20_000) {
		ctx.check(name, 'ran within the time limit', false, 'skipped: the time limit was reached');
		return false;
	}
	const t0 = Date.now();
	console.log(`- ${name} ...`);
	// Where the CPU went during this step: the server, the simulators, this runner (2 cores, shared).
	const cpu = () => ({
		pid: ctx.server?.pid ?? 0,
		server: ctx.server ? cpuSecondsOf(ctx.server.pid) : 0,
		sims: ctx.sims.reduce((a, s) => a + (s.child.pid ? cpuSecondsOf(s.child.pid) : 0), 0),
		runner: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6
	});
	const c0 = cpu();
	try {
		await fn();
		const c1 = cpu();
		const wallS = (Date.now() - t0) / 1000;
		const used = { wallS: round(wallS), serverCpuS: c1.pid === c0.pid ? round(c1.server - c0.server) : NaN, simulatorsCpuS: round(c1.sims - c0.sims), runnerCpuS: round(c1.runner - c0.runner) };
		ctx.cpu[name] = used;
		console.log(
			`  ${name} done in ${wallS.toFixed(1)} s (CPU: server ${used.serverCpuS} s = ${Math.round((used.serverCpuS / wallS) * 100)}% of a core, simulators ${used.simulatorsCpuS} s, runner ${used.runnerCpuS} s)`
		);
		return true;
	} catch (e) {
		ctx.check(name, 'ran to the end', false, e instanceof Error ? (e.stack ?? e.message) : String(e));
		return false;
	}
}

async function main(): Promise<number> {
	const opts = parseArgs(process.argv.slice(2));
	const startedAt = new Date();
	const deadline = Date.now() + opts.timeLimitS * 1000;
	const hardStop = setTimeout(() => {
		console.error(`bench: the time limit of ${opts.timeLimitS} s was reached; stopping everything`);
		killEverything();
		process.exit(2);
	}, opts.timeLimitS * 1000 + 15_000);
	const ctx = new BenchContext(opts, deadline);
	const load0 = loadavg();
	const live = opts.scenarios.filter((s) => LIVE.includes(s));
	const limit = openFileLimit() - FD_RESERVE;
	const n = Math.min(opts.fleet, limit);
	console.log(
		`SCOMO Relay bench: ${opts.quick ? 'quick' : 'full'} mode, ${live.length ? `${n} devices` : 'no fleet'}, scenarios ${opts.scenarios.join(', ')}; ` +
			`${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load ${load0.map((x) => x.toFixed(1)).join(' ')}, Node ${process.version}`
	);
	let perSim: number[] = [];

	if (live.length > 0) {
		const dataDir = mkdtempSync(path.join(tmpdir(), 'scomo-bench-'));
		children.dirs.push(dataDir);
		let prepared!: ReturnType<typeof prepareDataDir>;
		let seed!: { maId: string; manifest: typeof BENCH_MANIFEST; sha256: string; bundle: string };
		const ready = await step(ctx, 'setup', async () => {
			prepared = prepareDataDir(dataDir, n);
			ctx.server = children.server = await startBenchServer({ dataDir, logLevel: opts.logLevel });
			ctx.api = new ApiClient(ctx.server.url, prepared.token);
			const up = await ctx.api.uploadPackage(BENCH_MANIFEST, BENCH_BUNDLE);
			if (up.status !== 201) throw new Error(`package upload answered ${up.status}: ${JSON.stringify(up.body)}`);
			seed = { maId: prepared.maId, manifest: BENCH_MANIFEST, sha256: up.body.sha256, bundle: BENCH_BUNDLE };
			const simCount = Math.max(1, Math.ceil(n / opts.perSim));
			ctx.sims = children.sims = await startSimulators(simCount, { profileDir: opts.profileDir });
			const url = ctx.server.url;
			await Promise.all(ctx.sims.map((s) => s.request({ cmd: 'init', serverUrl: url, localAddress: s.localAddress, seed, device: opts.device })));
			// Enrollment over HTTP by every device (real keys, real proofs), then a fresh server for clean figures.
			const parts = split(prepared.codes, ctx.sims.length);
			const enrolled = await Promise.all(
				ctx.sims.map((s, i) => s.request<{ deviceIds: string[] }>({ cmd: 'enroll', codes: parts[i]!, concurrency: 16 }, 600_000))
			);
			perSim = enrolled.map((e) => e.deviceIds.length);
			ctx.deviceIds = enrolled.flatMap((e) => e.deviceIds);
			const port = ctx.server.port;
			await ctx.server.stop();
			ctx.server = children.server = await startBenchServer({ dataDir, port, logLevel: opts.logLevel, profileDir: opts.profileDir ?? undefined });
			ctx.db = new Database(path.join(dataDir, 'scomo.db'), { readonly: true, fileMustExist: true });
			// The owner signs in over HTTP with its passkey, to approve high-risk fan-outs as in production.
			const owner = { auth: ownerOf(ctx.server.url, prepared.owner), jar: new Map<string, string>() };
			const signedIn = await signInOverHttp(ctx.server.url, owner.auth, owner.jar);
			if (!signedIn.ok) throw new Error(`the owner's sign-in answered ${signedIn.status}: ${await signedIn.text()}`);
			ctx.owner = owner;
		});
		if (ready) {
			const connected = await step(ctx, 'fleet', () => fleetScenario(ctx, opts.scenarios.includes('fleet'), { limit, requested: opts.fleet }));
			if (connected) {
				if (opts.scenarios.includes('fanout')) await step(ctx, 'fanout', () => fanoutScenario(ctx));
				if (opts.scenarios.includes('sustained')) await step(ctx, 'sustained', () => sustainedScenario(ctx));
				if (opts.scenarios.includes('storm')) await step(ctx, 'storm', () => stormScenario(ctx));
			}
			ctx.details.serverLogTail = ctx.server?.output().split('\n').filter(Boolean).slice(-20);
			await Promise.all(ctx.sims.map((s) => s.request({ cmd: 'disconnect' }, 120_000).catch(() => {})));
			ctx.db?.close();
			await ctx.server?.stop();
			children.server = null;
			if (opts.baseline && ctx.sims.length > 0) {
				await step(ctx, 'raw socket.io baseline', async () => {
					const raw = await runRawSocketIo(ctx.sims, perSim, {
						fanout: opts.fanoutSize,
						rate: opts.rate,
						durationS: opts.durationS,
						storm: opts.scenarios.includes('storm'),
						wire: ctx.wire
					});
					ctx.details.rawSocketIo = raw.details;
					for (const f of ctx.figures) {
						const v = raw.figures[f.key];
						if (v !== undefined) f.raw = v;
					}
				});
				// The raw server is its own process (the step's meter watched the product's): its CPU, from /proc.
				const rawCpu = (ctx.details.rawSocketIo as { serverCpuS?: number } | undefined)?.serverCpuS;
				const rawStep = ctx.cpu['raw socket.io baseline'];
				if (rawStep && rawCpu !== undefined) {
					rawStep.serverCpuS = rawCpu;
					console.log(`  (the raw server used ${rawCpu} s CPU)`);
				}
			}
		}
		// Whatever happened above (a failed set-up included), nothing of this run stays behind.
		await ctx.server?.stop();
		children.server = null;
		await stopSimulators(ctx.sims);
		children.sims = [];
	}

	if (opts.scenarios.includes('persistence')) await step(ctx, 'persistence', () => persistenceScenario(ctx));
	if (opts.scenarios.includes('passkey')) await step(ctx, 'passkey', () => passkeyScenario(ctx));
	if (opts.scenarios.includes('lists')) await step(ctx, 'lists', () => listsScenario(ctx));

	const load1 = loadavg();
	const signing = commandSigning(ctx);
	const header = `\nSCOMO Relay bench, ${startedAt.toISOString()}: ${opts.quick ? 'QUICK (correctness mode, figures not meaningful)' : 'full'}; ${cpus().length} cores shared with whatever else runs (load ${load0[0]!.toFixed(1)} → ${load1[0]!.toFixed(1)}); devices: ${deviceText(opts.device)}; commands: ${signing}`;
	const table = printTable(ctx.figures, header);
	printChecks(ctx.checks);
	const scenarios: Record<string, unknown> = {};
	for (const s of opts.scenarios) {
		scenarios[s] = {
			details: ctx.details[s] ?? null,
			cpu: ctx.cpu[s] ?? null,
			figures: ctx.figures.filter((f) => f.scenario === s).map((f) => ({ ...f, met: goalMet(f), ratioToGoal: ratioToGoal(f), ratioToRaw: ratioToRaw(f) })),
			checks: ctx.checks.filter((c) => c.scenario === s)
		};
	}
	const ok = ctx.checks.every((c) => c.ok);
	const file = writeResults(
		{
			benchmark: 'scomo-relay',
			at: startedAt.toISOString(),
			command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
			mode: opts.quick ? 'quick' : 'full',
			node: process.version,
			cpu: cpus()[0]?.model ?? null,
			cores: cpus().length,
			loadAverage: { start: load0, end: load1 },
			deviceSimulation: deviceText(opts.device),
			commandSigning: signing,
			fleet: { requested: opts.fleet, serverSocketCeiling: limit, devices: ctx.deviceIds.length, simulators: perSim },
			options: opts,
			ok,
			scenarios,
			figures: ctx.figures,
			checks: ctx.checks,
			details: ctx.details,
			cpuSeconds: ctx.cpu,
			table
		},
		opts.out,
		opts.resultsDir
	);
	console.log(`\nwritten: ${path.relative(PROJECT_ROOT, file)} and latest.json beside it`);
	clearTimeout(hardStop);
	for (const d of children.dirs) rmSync(d, { recursive: true, force: true });
	return ok ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => {
		killEverything();
		process.exit(130);
	});
}
main().then(
	(code) => process.exit(code),
	(e: unknown) => {
		console.error(e);
		killEverything();
		process.exit(1);
	}
);
