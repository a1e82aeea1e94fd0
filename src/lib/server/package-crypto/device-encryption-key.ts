/**
 * The device's encryption key (SCOMO-SEC-03): a static ECDH P-256 public key, sent at enrollment as the raw
 * uncompressed point (0x04 | X | Y, 65 bytes, base64url) — what WebCrypto's exportKey('raw') gives in the
 * browser and in Node. Checked to be a point on the curve before it is stored, so sealing never meets a bad key.
 */
import { createPublicKey } from 'node:crypto';

/** DER prefix of a P-256 SubjectPublicKeyInfo for an uncompressed point (id-ecPublicKey, prime256v1). */
const P256_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex');

/** The raw key bytes when `text` is a valid P-256 public key; null otherwise. */
export function parseEncryptionKey(text: string): Uint8Array | null {
	if (!/^[A-Za-z0-9_-]{86,88}$/.test(text)) return null;
	const raw = Buffer.from(text, 'base64url');
	if (raw.length !== 65 || raw[0] !== 0x04) return null;
	try {
		// OpenSSL rejects points that are not on the curve.
		createPublicKey({ key: Buffer.concat([P256_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
	} catch {
		return null;
	}
	return new Uint8Array(raw);
}
