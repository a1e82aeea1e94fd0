import { describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startServerProcess, tempDir } from '../support/server-process';

async function startupError(env: Record<string, string>): Promise<{ code: number; out: string }> {
	try {
		const s = await startServerProcess({ env });
		await s.kill();
		throw new Error('server started although the configuration is bad');
	} catch (e) {
		const err = e as { code?: number; out?: string };
		if (err.out === undefined) throw e;
		return { code: err.code ?? -1, out: err.out };
	}
}

describe('start-up', () => {
	it('creates the schema from nothing and serves health', async () => {
		const s = await startServerProcess();
		try {
			const res = await fetch(`${s.url}/healthz`);
			expect(res.status).toBe(200);
			expect(await res.json()).toMatchObject({ status: 'ok', database: true, realtime: true });
		} finally {
			await s.kill();
		}
		const db = new Database(path.join(s.dataDir, 'scomo.db'), { readonly: true });
		const tables = db
			.prepare("select name from sqlite_master where type = 'table' order by name")
			.all()
			.map((r) => (r as { name: string }).name);
		expect(tables).toEqual(
			expect.arrayContaining([
				'management_authorities',
				'devices',
				'enrollments',
				'packages',
				'package_versions',
				'inventory',
				'operations',
				'audit_events'
			])
		);
		expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
		db.close();
	});

	it('keeps the data when started twice on the same data directory', async () => {
		const dataDir = tempDir();
		const first = await startServerProcess({ dataDir });
		await first.kill();
		const db = new Database(path.join(dataDir, 'scomo.db'));
		db.prepare('insert into management_authorities (id, name, settings, created_at) values (?, ?, ?, ?)').run(
			'ma-1',
			'Acme',
			'{}',
			Date.now()
		);
		db.close();
		const second = await startServerProcess({ dataDir });
		await second.kill();
		const again = new Database(path.join(dataDir, 'scomo.db'), { readonly: true });
		expect(again.prepare('select name from management_authorities').all()).toEqual([{ name: 'Acme' }]);
		const migrations = again.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number };
		expect(migrations.n).toBeGreaterThan(0);
		again.close();
	});

	it('refuses an unknown setting with one clear message', async () => {
		const { code, out } = await startupError({ SCOMO_DATADIR: '/tmp/x' });
		expect(code).toBe(78);
		expect(out).toContain('unknown setting SCOMO_DATADIR');
	});

	it('refuses a bad port', async () => {
		const { code, out } = await startupError({ SCOMO_PORT: 'eighty' });
		expect(code).toBe(78);
		expect(out).toContain('SCOMO_PORT must be a whole number');
	});

	it('refuses a data directory it cannot write', async () => {
		const file = path.join(tempDir(), 'not-a-dir');
		writeFileSync(file, 'x');
		const { code, out } = await startupError({ SCOMO_DATA_DIR: path.join(file, 'data') });
		expect(code).toBe(78);
		expect(out).toMatch(/SCOMO_DATA_DIR .* is not a writable directory/);
	});
});
