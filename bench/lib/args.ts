/**
 * Command-line flags of `npm run bench`:
 *   --quick            small fleet (50 devices), short runs: the correctness mode CI runs
 *   --fleet N          devices in the connected fleet (default 10000); capped by the server's socket ceiling
 *   --scenario NAME    only this scenario (repeatable, or comma-separated): fleet, fanout, sustained, storm,
 *                      persistence, passkey, lists
 *   --list-devices N   devices the lists scenario seeds (default 10000, quick 1000)
 *   --list-operations N  operations the lists scenario seeds (default 200000, quick 20000)
 *   --rate R           sustained operations per second (default 2000)
 *   --duration S       sustained seconds (default 10)
 *   --per-sim N        devices per simulator process (default 5000, at most 9000)
 *   --device KIND      runtime (default): the real device runtime per simulated device; lean: the protocol by
 *                      hand with the runtime's command verification (bench/simulator/lean-device.ts)
 *   --no-baseline      skip the raw socket.io / better-sqlite3 baseline
 *   --profile DIR      write .cpuprofile files of the server (and simulators) into DIR
 *   --log-level L      the server's log level (default warn)
 *   --out FILE         also write the JSON here
 *   --results-dir DIR  where <timestamp>.json and latest.json go (default bench/results; the CI test uses a temp dir)
 *   --time-limit S     hard bound of the whole run (default 900, quick 240)
 */
export const SCENARIOS = ['fleet', 'fanout', 'sustained', 'storm', 'persistence', 'passkey', 'lists'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export type BenchOptions = {
	quick: boolean;
	fleet: number;
	scenarios: ScenarioName[];
	rate: number;
	durationS: number;
	perSim: number;
	device: 'runtime' | 'lean';
	baseline: boolean;
	profileDir: string | null;
	logLevel: string;
	out: string | null;
	resultsDir: string | null;
	timeLimitS: number;
	fanoutSize: number;
	stormSize: number;
	persistenceRows: number;
	passkeyN: number;
	listDevices: number;
	listOperations: number;
};

function device(v: string | undefined): 'runtime' | 'lean' {
	if (v === undefined || v === 'runtime' || v === 'lean') return v ?? 'runtime';
	throw new Error('--device is runtime or lean');
}

export function parseArgs(argv: readonly string[]): BenchOptions {
	const flags = new Map<string, string[]>();
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i]!;
		if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
		const [key, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
		const boolean = ['quick', 'no-baseline'].includes(key);
		const value = boolean ? 'true' : (inline ?? argv[++i]);
		if (value === undefined) throw new Error(`--${key} needs a value`);
		flags.set(key, [...(flags.get(key) ?? []), value]);
	}
	const known = ['quick', 'fleet', 'scenario', 'rate', 'duration', 'per-sim', 'device', 'no-baseline', 'profile', 'log-level', 'out', 'results-dir', 'time-limit', 'list-devices', 'list-operations'];
	for (const k of flags.keys()) if (!known.includes(k)) throw new Error(`unknown flag --${k} (known: ${known.map((x) => `--${x}`).join(' ')})`);
	const num = (k: string, dflt: number) => {
		const v = flags.get(k)?.at(-1);
		if (v === undefined) return dflt;
		const n = Number(v.replace(/k$/i, '000'));
		if (!Number.isFinite(n) || n <= 0) throw new Error(`--${k} must be a positive number`);
		return n;
	};
	const quick = flags.has('quick');
	const scenarios = (flags.get('scenario') ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
	for (const s of scenarios) if (!(SCENARIOS as readonly string[]).includes(s)) throw new Error(`unknown scenario ${s} (known: ${SCENARIOS.join(', ')})`);
	const fleet = Math.floor(num('fleet', quick ? 50 : 10_000));
	return {
		quick,
		fleet,
		scenarios: scenarios.length ? (scenarios as ScenarioName[]) : [...SCENARIOS],
		rate: num('rate', quick ? 100 : 2000),
		durationS: num('duration', quick ? 2 : 10),
		perSim: Math.min(9000, Math.floor(num('per-sim', 5000))),
		device: device(flags.get('device')?.at(-1)),
		baseline: !flags.has('no-baseline'),
		profileDir: flags.get('profile')?.at(-1) ?? null,
		logLevel: flags.get('log-level')?.at(-1) ?? 'warn',
		out: flags.get('out')?.at(-1) ?? null,
		resultsDir: flags.get('results-dir')?.at(-1) ?? null,
		timeLimitS: num('time-limit', quick ? 240 : 900),
		fanoutSize: Math.min(fleet, 10_000),
		stormSize: Math.min(fleet, 10_000),
		persistenceRows: quick ? 2_000 : 20_000,
		passkeyN: quick ? 200 : 3000,
		listDevices: Math.floor(num('list-devices', quick ? 1000 : 10_000)),
		listOperations: Math.floor(num('list-operations', quick ? 20_000 : 200_000))
	};
}
