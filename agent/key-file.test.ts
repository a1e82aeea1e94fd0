import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KEY_FILE, loadOrCreateSigner } from './key-file';
import { verifyEd25519 } from '../src/lib/device';

describe('key file', () => {
	it('creates an Ed25519 key once (PKCS#8 PEM, mode 0600) and loads the same key afterwards', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'scomo-key-'));
		const signer = await loadOrCreateSigner(dir);
		const file = path.join(dir, KEY_FILE);
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(readFileSync(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
		const again = await loadOrCreateSigner(dir);
		expect(again.publicKey).toBe(signer.publicKey);
		expect(signer.publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/); // raw 32 bytes, base64url
		expect(await verifyEd25519(signer.publicKey, 'hello', await again.sign('hello'))).toBe(true);
		expect(await verifyEd25519(signer.publicKey, 'hullo', await again.sign('hello'))).toBe(false);
	});
});
