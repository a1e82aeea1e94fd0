/**
 * Configuration, parsed and validated once at start-up.
 *
 * Every setting comes from an environment variable prefixed `SCOMO_` (plus the conventional `PORT`,
 * `HOST` and `ORIGIN` as fallbacks). Unknown `SCOMO_*` variables are an error, not silently ignored:
 * a typo such as `SCOMO_DATADIR` would otherwise start the product on the wrong data.
 */
import * as v from 'valibot';
import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export type Config = {
	/** TCP port; 0 picks a free one (tests). */
	port: number;
	host: string;
	/** Public origin of the app, e.g. http://localhost:3000. WebAuthn's RP ID is its host name. */
	origin: string;
	dataDir: string;
	/** `sqlite:<path>` today; `postgres://` is the scale-out path. */
	databaseUrl: string;
	logLevel: (typeof LOG_LEVELS)[number];
	/** How long a relayed operation may stay unanswered before it ends with 1457. */
	operationTtlMs: number;
	/** Largest package bundle accepted on upload. */
	maxBundleBytes: number;
	/** SCOMO-SEC-01: the file holding the master key that seals the MAs' signing keys (created on first start). */
	masterKeyFile: string;
	/** A /device connection that has not proved its identity by then is closed (default 30 s). */
	deviceAuthTimeoutMs: number;
	/** How long a relayed command set waits for the device's ack before its operations stay queued (default 15 s). */
	commandAckTimeoutMs: number;
	/** How often the rollout scheduler ticks (default 1 s); it is also nudged whenever an operation ends. */
	rolloutTickMs: number;
};

const KNOWN_KEYS = [
	'SCOMO_PORT',
	'SCOMO_HOST',
	'SCOMO_ORIGIN',
	'SCOMO_DATA_DIR',
	'SCOMO_DATABASE_URL',
	'SCOMO_LOG_LEVEL',
	'SCOMO_OPERATION_TTL_SECONDS',
	'SCOMO_MAX_BUNDLE_BYTES',
	'SCOMO_MASTER_KEY_FILE',
	'SCOMO_DEVICE_AUTH_TIMEOUT_SECONDS',
	'SCOMO_COMMAND_ACK_TIMEOUT_SECONDS',
	'SCOMO_ROLLOUT_TICK_MS'
] as const;

const intString = (name: string, min: number, max: number) =>
	v.pipe(
		v.string(),
		v.regex(/^\d+$/, `${name} must be a whole number`),
		v.transform(Number),
		v.minValue(min, `${name} must be at least ${min}`),
		v.maxValue(max, `${name} must be at most ${max}`)
	);

const EnvSchema = v.object({
	SCOMO_PORT: v.optional(intString('SCOMO_PORT', 0, 65535)),
	SCOMO_HOST: v.optional(v.pipe(v.string(), v.minLength(1, 'SCOMO_HOST must not be empty'))),
	SCOMO_ORIGIN: v.optional(
		v.pipe(
			v.string(),
			v.url('SCOMO_ORIGIN must be a URL such as http://localhost:3000'),
			v.check((s) => /^https?:\/\/[^/]+$/.test(s), 'SCOMO_ORIGIN must be scheme://host[:port] with no path')
		)
	),
	SCOMO_DATA_DIR: v.optional(v.pipe(v.string(), v.minLength(1, 'SCOMO_DATA_DIR must not be empty'))),
	SCOMO_DATABASE_URL: v.optional(
		v.pipe(
			v.string(),
			v.check(
				(s) => s.startsWith('sqlite:') || s.startsWith('postgres://') || s.startsWith('postgresql://'),
				'SCOMO_DATABASE_URL must start with sqlite: or postgres://'
			)
		)
	),
	SCOMO_LOG_LEVEL: v.optional(v.picklist(LOG_LEVELS, `SCOMO_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`)),
	SCOMO_OPERATION_TTL_SECONDS: v.optional(intString('SCOMO_OPERATION_TTL_SECONDS', 1, 30 * 24 * 3600)),
	SCOMO_MAX_BUNDLE_BYTES: v.optional(intString('SCOMO_MAX_BUNDLE_BYTES', 1024, 512 * 1024 * 1024)),
	SCOMO_MASTER_KEY_FILE: v.optional(v.pipe(v.string(), v.minLength(1, 'SCOMO_MASTER_KEY_FILE must not be empty'))),
	SCOMO_DEVICE_AUTH_TIMEOUT_SECONDS: v.optional(intString('SCOMO_DEVICE_AUTH_TIMEOUT_SECONDS', 1, 600)),
	SCOMO_COMMAND_ACK_TIMEOUT_SECONDS: v.optional(intString('SCOMO_COMMAND_ACK_TIMEOUT_SECONDS', 1, 600)),
	SCOMO_ROLLOUT_TICK_MS: v.optional(intString('SCOMO_ROLLOUT_TICK_MS', 50, 60_000))
});

export class ConfigError extends Error {
	constructor(public readonly problems: string[]) {
		super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
		this.name = 'ConfigError';
	}
}

/** Parse configuration from an environment; throws one ConfigError listing every problem. */
export function parseConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
	const problems: string[] = [];
	const picked: Record<string, string> = {};
	for (const [key, value] of Object.entries(env)) {
		if (!key.startsWith('SCOMO_') || value === undefined) continue;
		if (!(KNOWN_KEYS as readonly string[]).includes(key)) {
			problems.push(`unknown setting ${key} (known: ${KNOWN_KEYS.join(', ')})`);
			continue;
		}
		picked[key] = value;
	}
	// Conventional names work too, but the SCOMO_ ones win.
	if (picked.SCOMO_PORT === undefined && env.PORT !== undefined) picked.SCOMO_PORT = env.PORT;
	if (picked.SCOMO_HOST === undefined && env.HOST !== undefined) picked.SCOMO_HOST = env.HOST;
	if (picked.SCOMO_ORIGIN === undefined && env.ORIGIN !== undefined) picked.SCOMO_ORIGIN = env.ORIGIN;

	const parsed = v.safeParse(EnvSchema, picked);
	if (!parsed.success) {
		for (const issue of parsed.issues) problems.push(issue.message);
	}
	if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
	const e = parsed.output;

	const port = e.SCOMO_PORT ?? 3000;
	const host = e.SCOMO_HOST ?? 'localhost';
	const dataDir = path.resolve(cwd, e.SCOMO_DATA_DIR ?? 'data');
	const databaseUrl = e.SCOMO_DATABASE_URL ?? `sqlite:${path.join(dataDir, 'scomo.db')}`;
	if (databaseUrl.startsWith('postgres')) {
		throw new ConfigError([
			'SCOMO_DATABASE_URL: PostgreSQL is the scale-out path and is not available in this build; use sqlite:<file>'
		]);
	}
	return {
		port,
		host,
		// With port 0 the origin is only known after listen(); startServer fills it in then.
		origin: e.SCOMO_ORIGIN ?? `http://localhost:${port}`,
		dataDir,
		databaseUrl,
		logLevel: e.SCOMO_LOG_LEVEL ?? 'info',
		operationTtlMs: (e.SCOMO_OPERATION_TTL_SECONDS ?? 7 * 24 * 3600) * 1000,
		maxBundleBytes: e.SCOMO_MAX_BUNDLE_BYTES ?? 5 * 1024 * 1024,
		masterKeyFile: path.resolve(cwd, e.SCOMO_MASTER_KEY_FILE ?? path.join(dataDir, 'master.key')),
		deviceAuthTimeoutMs: (e.SCOMO_DEVICE_AUTH_TIMEOUT_SECONDS ?? 30) * 1000,
		commandAckTimeoutMs: (e.SCOMO_COMMAND_ACK_TIMEOUT_SECONDS ?? 15) * 1000,
		rolloutTickMs: e.SCOMO_ROLLOUT_TICK_MS ?? 1000
	};
}

/** Create the data directory and prove it is writable, so a bad path fails at start with one message. */
export function ensureDataDir(dataDir: string): void {
	try {
		mkdirSync(dataDir, { recursive: true, mode: 0o700 }); // a new data directory is the server's alone
		accessSync(dataDir, constants.W_OK);
	} catch (cause) {
		throw new ConfigError([
			`SCOMO_DATA_DIR ${dataDir} is not a writable directory (${(cause as Error).message})`
		]);
	}
}

/** The SQLite file path inside a `sqlite:` URL. */
export function sqlitePath(databaseUrl: string): string {
	return databaseUrl.slice('sqlite:'.length);
}
