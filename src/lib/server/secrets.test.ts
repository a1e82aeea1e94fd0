import { describe, it, expect } from 'vitest';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadOrCreateServerSecret, SERVER_SECRET_FILE } from './secrets';

describe('server secret', () => {
	it('is created once with mode 0600 and read back unchanged', () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'scomo-secret-'));
		const a = loadOrCreateServerSecret(dir);
		const b = loadOrCreateServerSecret(dir);
		expect(a.length).toBe(32);
		expect(b.equals(a)).toBe(true);
		expect(statSync(path.join(dir, SERVER_SECRET_FILE)).mode & 0o777).toBe(0o600);
	});
});
