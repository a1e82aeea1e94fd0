/**
 * WebCrypto signature checks for command verification (SCOMO-SEC-01, SEC-02), the same in Node 20 (agent)
 * and Chromium (PWA): Ed25519 for MA keys and EdDSA passkeys, ECDSA P-256 for ES256 passkeys. A malformed
 * key or signature is a `false`, never a throw.
 */
import type { AdminCredential } from '../core/envelope';
import { concatBytes, fromB64u, utf8 } from '../core/envelope-bytes';
import { derToRawEcdsa } from '../core/webauthn-assertion';

const buf = (b: Uint8Array) => b as Uint8Array<ArrayBuffer>;

/** Ed25519 signature (base64url) over a UTF-8 message or bytes, with a raw public key (base64url). */
export async function ed25519Verifies(publicKey: string, message: string | Uint8Array, signature: string): Promise<boolean> {
	const key = fromB64u(publicKey);
	const sig = fromB64u(signature);
	if (!key || key.length !== 32 || !sig || sig.length !== 64) return false;
	try {
		const k = await crypto.subtle.importKey('raw', buf(key), { name: 'Ed25519' }, false, ['verify']);
		return await crypto.subtle.verify({ name: 'Ed25519' }, k, buf(sig), buf(typeof message === 'string' ? utf8(message) : message));
	} catch {
		return false;
	}
}

/** A passkey's signature over WebAuthn's signed data: ES256 (DER signature) or EdDSA. */
export async function credentialVerifies(credential: AdminCredential, signedData: Uint8Array, signature: Uint8Array): Promise<boolean> {
	try {
		if (credential.alg === -8) {
			const key = fromB64u(credential.x);
			if (!key || key.length !== 32 || signature.length !== 64) return false;
			const k = await crypto.subtle.importKey('raw', buf(key), { name: 'Ed25519' }, false, ['verify']);
			return await crypto.subtle.verify({ name: 'Ed25519' }, k, buf(signature), buf(signedData));
		}
		const x = fromB64u(credential.x);
		const y = credential.y ? fromB64u(credential.y) : null;
		const raw = derToRawEcdsa(signature);
		if (!x || !y || x.length !== 32 || y.length !== 32 || !raw) return false;
		const k = await crypto.subtle.importKey('raw', buf(concatBytes(new Uint8Array([4]), x, y)), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
		return await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, k, buf(raw), buf(signedData));
	} catch {
		return false;
	}
}
