import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { fromBase64Url, generateEd25519, sha256Hex, toBase64Url, verifyEd25519 } from './crypto';

describe('crypto', () => {
	it('base64url round-trips any bytes, without padding or +/', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
				const text = toBase64Url(bytes);
				expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
				expect(fromBase64Url(text)).toEqual(bytes);
			})
		);
	});

	it('SHA-256 as lowercase hex', async () => {
		expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
	});

	it('Ed25519 keys sign what verifies, and nothing else', async () => {
		const { signer, publicKey } = await generateEd25519(false);
		expect(fromBase64Url(publicKey)).toHaveLength(32);
		const sig = await signer.sign('scomo-device-auth:v1:n:d:o');
		expect(await verifyEd25519(publicKey, 'scomo-device-auth:v1:n:d:o', sig)).toBe(true);
		expect(await verifyEd25519(publicKey, 'scomo-device-auth:v1:n:d:x', sig)).toBe(false);
		const other = await generateEd25519(false);
		expect(await verifyEd25519(other.publicKey, 'scomo-device-auth:v1:n:d:o', sig)).toBe(false);
	});
});
