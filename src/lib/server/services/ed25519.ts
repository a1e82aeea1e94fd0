/**
 * Device key checks with node:crypto. Devices register a raw 32-byte Ed25519 public key (base64url) and
 * sign with it at enrollment and on every connection.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/**
 * Imported keys by their raw form: a key object is the same for the same 32 bytes, and importing one (JWK
 * parse) cost more than the verify itself in the bench's profile of results. Bounded: the oldest entry
 * goes first, so a fleet larger than the bound only costs imports, never memory.
 */
const IMPORTED_KEYS_KEPT = 50_000;
const imported = new Map<string, KeyObject>();

/** The key object for a raw Ed25519 public key, or null when it is not one. */
export function ed25519PublicKey(rawBase64url: string): KeyObject | null {
	const known = imported.get(rawBase64url);
	if (known) return known;
	if (Buffer.from(rawBase64url, 'base64url').length !== 32) return null;
	try {
		const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: rawBase64url }, format: 'jwk' });
		if (imported.size >= IMPORTED_KEYS_KEPT) imported.delete(imported.keys().next().value!);
		imported.set(rawBase64url, key);
		return key;
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
