/**
 * PostgreSQL for tests, real and never mocked. The server comes from SCOMO_TEST_DATABASE_URL when set, else
 * the machine's own (127.0.0.1:5432, trust auth); when nothing answers there, a throwaway cluster is started
 * (initdb into a temp folder, a free port) so the PostgreSQL tier never skips. Each test run gets a fresh
 * database, dropped after, so runs never see each other's data.
 *
 * The integration project resolves the server once (postgres-global-setup.ts) and hands its admin URL to
 * the test files with vitest's provide/inject.
 */
import postgres from 'postgres';
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort } from '../../src/lib/server/free-port';

export const MACHINE_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export type PostgresServer = { adminUrl: string; source: 'env' | 'machine' | 'throwaway'; stop(): Promise<void> };

/** True when a server answers `select 1` at url within a few seconds. */
export async function answers(url: string): Promise<boolean> {
	const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
	try {
		await sql`select 1`;
		return true;
	} catch {
		return false;
	} finally {
		await sql.end({ timeout: 1 }).catch(() => {});
	}
}

/** The server tests use: the configured one (which must answer), the machine's, or a throwaway cluster. */
export async function resolvePostgresServer(): Promise<PostgresServer> {
	const configured = process.env.SCOMO_TEST_DATABASE_URL;
	if (configured) {
		if (!(await answers(configured))) throw new Error(`SCOMO_TEST_DATABASE_URL=${configured} does not answer`);
		return { adminUrl: configured, source: 'env', stop: async () => {} };
	}
	if (await answers(MACHINE_POSTGRES_URL)) return { adminUrl: MACHINE_POSTGRES_URL, source: 'machine', stop: async () => {} };
	return startThrowawayCluster();
}

/** The newest installed PostgreSQL's binaries folder (Debian puts them under /usr/lib/postgresql/<major>/bin). */
function postgresBinDir(): string {
	const root = '/usr/lib/postgresql';
	const majors = existsSync(root) ? readdirSync(root).filter((d) => /^\d+$/.test(d)) : [];
	majors.sort((a, b) => Number(b) - Number(a));
	for (const major of majors) {
		const bin = path.join(root, major, 'bin');
		if (existsSync(path.join(bin, 'initdb'))) return bin;
	}
	const found = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
	if (found) return path.dirname(found);
	throw new Error('PostgreSQL is not installed (no initdb): apt-get install postgresql');
}

/**
 * initdb refuses to run as root, so as root the cluster belongs to the `postgres` user (Debian's package
 * creates it). The socket goes into the cluster folder and TCP listens on loopback only.
 */
export async function startThrowawayCluster(): Promise<PostgresServer> {
	const bin = postgresBinDir();
	// Not the test file's private temp folder: the cluster outlives one file when the global setup starts it.
	const dir = mkdtempSync(path.join(process.env.SCOMO_PG_TMP ?? '/tmp', 'scomo-pg-'));
	const asRoot = process.getuid?.() === 0;
	const run = (cmd: string, args: string[]) =>
		asRoot
			? execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args], { stdio: 'pipe' })
			: execFileSync(path.join(bin, cmd), args, { stdio: 'pipe' });
	if (asRoot) {
		const ids = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
		const gid = execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim();
		chownSync(dir, Number(ids), Number(gid));
	}
	const data = path.join(dir, 'data');
	run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
	const port = await freePort('127.0.0.1');
	const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
	run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start']);
	const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
	return {
		adminUrl,
		source: 'throwaway',
		async stop() {
			try {
				run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		}
	};
}

/** The URL of another database on the same server. */
export function withDatabase(url: string, database: string): string {
	const u = new URL(url);
	u.pathname = `/${database}`;
	return u.toString();
}

export type TestDatabase = { url: string; name: string; drop(): Promise<void> };

/** A fresh, empty database on the server at adminUrl; drop() removes it even with connections still open. */
export async function createTestDatabase(adminUrl: string): Promise<TestDatabase> {
	const name = `scomo_t_${randomBytes(6).toString('hex')}`;
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
	try {
		await admin.unsafe(`create database ${name}`);
	} finally {
		await admin.end({ timeout: 1 });
	}
	return {
		name,
		url: withDatabase(adminUrl, name),
		async drop() {
			const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
			try {
				await sql.unsafe(`drop database if exists ${name} with (force)`);
			} finally {
				await sql.end({ timeout: 1 });
			}
		}
	};
}
