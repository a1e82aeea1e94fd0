/**
 * Device key checks with node:crypto. Devices register a raw 32-byte Ed25519 public key (base64url) and
 * sign with it at enrollment and on every connection.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** The key object for a raw Ed25519 public key, or null when it is not one. */
export function ed25519PublicKey(rawBase64url: string): KeyObject | null {
	if (Buffer.from(rawBase64url, 'base64url').length !== 32) return null;
	try {
		return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: rawBase64url }, format: 'jwk' });
	} catch {
		return null;
	}
}

/** Verifies an Ed25519 signature (base64url) over a UTF-8 message; false for anything malformed. */
export function verifyEd25519(rawPublicKey: string, message: string, signatureB64url: string): boolean {
	const key = ed25519PublicKey(rawPublicKey);
	if (!key) return false;
	const sig = Buffer.from(signatureB64url, 'base64url');
	if (sig.length !== 64) return false;
	try {
		return verify(null, Buffer.from(message, 'utf8'), key, sig);
	} catch {
		return false;
	}
}
