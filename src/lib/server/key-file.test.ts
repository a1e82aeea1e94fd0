/**
 * Key file creation against a rival process that publishes its own key at the last possible moment: just
 * before this process puts its new key under the final name (rename or link), the rival's key appears
 * there. Creating exclusively means this process must then use the rival's key, never overwrite it
 * (otherwise the two processes would go on with different keys). The real multi-process race is in
 * tests/integration/security-data-files.test.ts; this makes the worst interleaving happen every time.
 */
import { describe, it, expect, vi, beforeEach } from 'vitest';
import * as realFs from 'node:fs';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';

const rival = vi.hoisted(() => ({ target: '', key: '' }));

vi.mock('node:fs', async (importOriginal) => {
	const fs = await importOriginal<typeof import('node:fs')>();
	const publish = (target: string) => {
		if (target === rival.target && rival.key && !fs.existsSync(target)) fs.writeFileSync(target, rival.key, { mode: 0o600 });
	};
	return {
		...fs,
		renameSync: (from: realFs.PathLike, to: realFs.PathLike) => (publish(String(to)), fs.renameSync(from, to)),
		linkSync: (from: realFs.PathLike, to: realFs.PathLike) => (publish(String(to)), fs.linkSync(from, to))
	};
});

const { loadOrCreateKeyFile } = await import('./key-file');

describe('loadOrCreateKeyFile', () => {
	beforeEach(() => {
		rival.target = '';
		rival.key = '';
	});

	it('uses the key a rival published first, and leaves it in place', () => {
		const file = path.join(mkdtempSync(path.join(tmpdir(), 'scomo-kf-')), 'master.key');
		rival.target = file;
		rival.key = randomBytes(32).toString('base64url');
		const mine = loadOrCreateKeyFile(file, 'test key');
		expect(mine.toString('base64url')).toBe(rival.key);
		expect(readFileSync(file, 'utf8')).toBe(rival.key);
		expect(realFs.readdirSync(path.dirname(file))).toEqual(['master.key']);
	});

	it('creates a 0600 key once and reads it back unchanged', () => {
		const file = path.join(mkdtempSync(path.join(tmpdir(), 'scomo-kf-')), 'sub', 'k.key');
		const a = loadOrCreateKeyFile(file, 'test key');
		expect(loadOrCreateKeyFile(file, 'test key').equals(a)).toBe(true);
		expect(statSync(file).mode & 0o777).toBe(0o600);
	});

	it('refuses a group- or world-readable key file instead of quietly fixing it', () => {
		const file = path.join(mkdtempSync(path.join(tmpdir(), 'scomo-kf-')), 'k.key');
		realFs.writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
		realFs.chmodSync(file, 0o644);
		expect(() => loadOrCreateKeyFile(file, 'test key')).toThrow(/0644.*chmod 600/s);
		expect(statSync(file).mode & 0o777).toBe(0o644);
	});
});
