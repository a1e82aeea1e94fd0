import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ENCRYPTION_KEY_FILE, loadOrCreateDecrypter } from './decrypter';
import { sealPackage } from '../src/lib/server/package-crypto/seal';
import { parseEncryptionKey } from '../src/lib/server/package-crypto/device-encryption-key';

const context = {
	deviceId: '01890000-0000-7000-8000-000000000001',
	versionId: '01890000-0000-7000-8000-000000000002',
	componentId: 'com.example.clock',
	version: '1.0.0',
	sha256: 'b'.repeat(64),
	size: 5
};

describe('agent encryption key (SCOMO-SEC-03)', () => {
	it('creates an ECDH P-256 key once (PKCS#8 PEM, mode 0600), reloads the same key, opens packages sealed to it', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'scomo-enc-'));
		const first = await loadOrCreateDecrypter(dir);
		const file = path.join(dir, ENCRYPTION_KEY_FILE);
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(readFileSync(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
		const again = await loadOrCreateDecrypter(dir);
		expect(again.publicKey).toBe(first.publicKey);
		expect(parseEncryptionKey(first.publicKey)).not.toBeNull();

		const sealed = await sealPackage(new TextEncoder().encode('hello'), parseEncryptionKey(first.publicKey)!, context);
		const r = await again.open(sealed);
		expect(r.ok && new TextDecoder().decode(r.bytes)).toBe('hello');

		const stranger = await loadOrCreateDecrypter(mkdtempSync(path.join(tmpdir(), 'scomo-enc-')));
		expect((await stranger.open(sealed)).ok).toBe(false);
	});
});
