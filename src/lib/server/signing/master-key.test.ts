import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadOrCreateMasterKey, openSecret, sealSecret } from './master-key';

describe('master key', () => {
	it('is created once with mode 0600 and read back the same', () => {
		const file = path.join(mkdtempSync(path.join(tmpdir(), 'scomo-mk-')), 'sub', 'master.key');
		const a = loadOrCreateMasterKey(file);
		const b = loadOrCreateMasterKey(file);
		expect(a.length).toBe(32);
		expect(a.equals(b)).toBe(true);
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(readFileSync(file, 'utf8')).not.toContain('\n');
	});

	it('seals and opens; a wrong key, AAD or a flipped byte does not open', () => {
		const key = randomBytes(32);
		const secret = Buffer.from('private key bytes');
		const sealed = sealSecret(key, secret, 'ma-signing-key:1');
		expect(sealed).not.toContain(secret.toString('base64url'));
		expect(openSecret(key, sealed, 'ma-signing-key:1').equals(secret)).toBe(true);
		expect(() => openSecret(randomBytes(32), sealed, 'ma-signing-key:1')).toThrow();
		expect(() => openSecret(key, sealed, 'ma-signing-key:2')).toThrow();
		const parts = sealed.split('.');
		const ct = Buffer.from(parts[2]!, 'base64url');
		ct[0]! ^= 1;
		parts[2] = ct.toString('base64url');
		expect(() => openSecret(key, parts.join('.'), 'ma-signing-key:1')).toThrow();
		// Two seals of the same secret differ (fresh IV).
		expect(sealSecret(key, secret, 'x')).not.toBe(sealSecret(key, secret, 'x'));
	});
});
