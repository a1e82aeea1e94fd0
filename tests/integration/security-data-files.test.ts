/**
 * The server's files on disk (issue #13, LOW findings), checked with stat and real processes:
 * - the database, its -wal and -shm files, bundles, key files and the setup link are mode 0600;
 * - a master key file the group or others can read stops the server at start (exit 78, clear message);
 * - two processes creating the same key file at once end up with one key (exclusive creation);
 * - the first-run setup link is not printed when stdout is not a terminal, only written to its 0600 file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { startTestServer, newMa, manifest, bundle, type TestServer } from '../support/test-server';
import { PROJECT_ROOT, startServerProcess, tempDir } from '../support/server-process';

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe('data files are the server’s alone', () => {
	let server: TestServer;
	beforeAll(async () => {
		server = await startTestServer();
	});
	afterAll(async () => {
		await server?.close();
	});

	it('database, -wal, -shm, bundles and key files are 0600', async () => {
		const ma = newMa(server, 'Files MA');
		const up = await ma.api.uploadPackage(manifest('files.demo', '1.0.0'), bundle('files'));
		expect(up.status).toBe(201);
		const d = server.dataDir;
		const files = ['scomo.db', 'scomo.db-wal', 'scomo.db-shm', 'master.key', 'server-secret.key'].map((f) => path.join(d, f));
		const bundles = readdirSync(path.join(d, 'bundles')).map((f) => path.join(d, 'bundles', f));
		expect(bundles.length).toBeGreaterThan(0);
		for (const f of [...files, ...bundles]) expect(modeOf(f), f).toBe(0o600);
	});
});

describe('start-up refuses an exposed master key', () => {
	it('exits 78 with a message naming the file when master.key is group-readable', () => {
		const dataDir = tempDir();
		const key = path.join(dataDir, 'master.key');
		writeFileSync(key, randomBytes(32).toString('base64url'), { mode: 0o600 });
		chmodSync(key, 0o640);
		const r = spawnSync(process.execPath, ['--import', 'tsx', 'server.ts'], {
			cwd: PROJECT_ROOT,
			env: { PATH: process.env.PATH ?? '', SCOMO_PORT: '0', SCOMO_DATA_DIR: dataDir, SCOMO_LOG_LEVEL: 'warn' },
			encoding: 'utf8',
			timeout: 60_000
		});
		expect(r.status).toBe(78);
		expect(r.stderr).toContain(key);
		expect(r.stderr).toContain('0640');
		expect(r.stderr).toContain('chmod 600');
		// Nothing was tightened behind the operator's back.
		expect(modeOf(key)).toBe(0o640);
	});

	it('starts with the same key file once it is 0600 (the refusal is the mode, nothing else)', async () => {
		const dataDir = tempDir();
		const key = path.join(dataDir, 'master.key');
		writeFileSync(key, randomBytes(32).toString('base64url'), { mode: 0o600 });
		const s = await startServerProcess({ dataDir });
		try {
			expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
		} finally {
			await s.kill();
		}
	});
});

/**
 * Processes that each create the same key files at the same moment: they report ready, wait for "go" on
 * stdin, then load-or-create 40 files in turn and print what they read. Every process must read the same
 * key for every file, and each file must hold that key.
 */
describe('key files are created exclusively', () => {
	const PROCESSES = 4;
	const FILES = 40;

	it(`${PROCESSES} processes racing to create ${FILES} key files all read one key per file`, async () => {
		const dir = path.join(tempDir(), 'keys');
		mkdirSync(dir);
		const script = `
			import { loadOrCreateKeyFile } from './src/lib/server/key-file.ts';
			process.stdout.write('ready\\n');
			process.stdin.once('data', () => {
				const out = [];
				for (let i = 0; i < ${FILES}; i++) out.push(loadOrCreateKeyFile(${JSON.stringify(dir)} + '/k' + i + '.key', 'test key').toString('hex'));
				process.stdout.write(JSON.stringify(out) + '\\n');
				process.exit(0);
			});`;
		const children = Array.from({ length: PROCESSES }, () =>
			spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: PROJECT_ROOT, stdio: ['pipe', 'pipe', 'inherit'] })
		);
		const outputs = children.map((c) => {
			let out = '';
			c.stdout!.on('data', (d) => (out += d));
			return {
				ready: new Promise<void>((resolve) => c.stdout!.on('data', () => out.includes('ready\n') && resolve())),
				done: new Promise<string[]>((resolve, reject) =>
					c.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.split('\n')[1]!)) : reject(new Error(`exit ${code}: ${out}`))))
				)
			};
		});
		await Promise.all(outputs.map((o) => o.ready));
		for (const c of children) c.stdin!.write('go\n');
		const results = await Promise.all(outputs.map((o) => o.done));
		for (let i = 0; i < FILES; i++) {
			const file = path.join(dir, `k${i}.key`);
			const onDisk = Buffer.from(readFileSync(file, 'utf8'), 'base64url').toString('hex');
			for (const r of results) expect(r[i], `file ${i}`).toBe(onDisk);
			expect(modeOf(file)).toBe(0o600);
		}
		// No temp files left behind.
		expect(readdirSync(dir).filter((f) => !/^k\d+\.key$/.test(f))).toEqual([]);
	});
});

describe('the first-run setup link', () => {
	it('is not printed when stdout is not a terminal; it is in the 0600 file', async () => {
		const s = await startServerProcess();
		try {
			const file = path.join(s.dataDir, 'setup-link.txt');
			// The server writes the file before it says so: its own message is the signal.
			await new Promise<void>((resolve) => {
				const check = () => s.output().includes('setup link') && (s.child.stdout!.off('data', check), resolve());
				s.child.stdout!.on('data', check);
				check();
			});
			expect(existsSync(file)).toBe(true);
			const link = readFileSync(file, 'utf8').trim();
			const token = new URL(link).searchParams.get('token')!;
			expect(token.length).toBeGreaterThan(20);
			expect(s.output()).not.toContain(token);
			expect(s.output()).toContain(file);
			expect(modeOf(file)).toBe(0o600);
		} finally {
			await s.kill();
		}
	});
});
