/**
 * Checking an administrator's WebAuthn assertion on a DEVICE (passkey-bound operations, SCOMO-SEC-02),
 * without any server library: the device must be able to tell, by itself, that the administrator's
 * passkey approved exactly this batch, so a compromised server cannot forge the approval.
 *
 * This file does the byte work (WebAuthn Level 2 §7.2 "Verifying an Authentication Assertion"):
 * authenticatorData's RP ID hash and its UP/UV flags, clientDataJSON's type, challenge and origin, and the
 * data that was signed (authenticatorData || SHA-256(clientDataJSON)); ES256 signatures come DER-encoded
 * and WebCrypto wants r||s, so derToRawEcdsa converts. The signature check itself is the caller's
 * (WebCrypto on devices), with the credential's public key from the MA's trust statement.
 */
import { bytesEqual, concatBytes, fromB64u, fromUtf8, utf8 } from './envelope-bytes';
import { err, ok, type Result } from './result';
import type { AdminApproval } from './envelope';
import type { Sha256 } from './merkle-sha256';

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;

export type AssertionExpectation = { challenge: string; origin: string; rpId: string };

/** The bytes the authenticator signed and the signature, once every other check has passed. */
export type CheckedAssertion = { signedData: Uint8Array; signature: Uint8Array };

export function checkAssertion(sha256: Sha256, a: AdminApproval, expected: AssertionExpectation): Result<CheckedAssertion, string> {
	const authData = fromB64u(a.authenticatorData);
	const clientDataBytes = fromB64u(a.clientDataJSON);
	const signature = fromB64u(a.signature);
	if (!authData || !clientDataBytes || !signature) return err('the assertion is not base64url');
	if (authData.length < 37) return err('authenticator data is too short');
	if (!bytesEqual(authData.subarray(0, 32), sha256(utf8(expected.rpId)))) return err('the assertion is for another relying party');
	const flags = authData[32]!;
	if (!(flags & FLAG_UP)) return err('the user was not present');
	if (!(flags & FLAG_UV)) return err('the user was not verified');

	const text = fromUtf8(clientDataBytes);
	let clientData: { type?: unknown; challenge?: unknown; origin?: unknown; crossOrigin?: unknown };
	try {
		clientData = JSON.parse(text ?? '') as typeof clientData;
	} catch {
		return err('clientDataJSON is not JSON');
	}
	if (clientData === null || typeof clientData !== 'object') return err('clientDataJSON is not an object');
	if (clientData.type !== 'webauthn.get') return err('clientDataJSON is not an assertion (webauthn.get)');
	if (clientData.challenge !== expected.challenge) return err('the assertion answers another challenge');
	if (clientData.origin !== expected.origin) return err('the assertion comes from another origin');
	if (clientData.crossOrigin === true) return err('the assertion was made in a cross-origin frame');
	return ok({ signedData: concatBytes(authData, sha256(clientDataBytes)), signature });
}

/**
 * ECDSA signature, DER SEQUENCE { INTEGER r, INTEGER s } → fixed-size r||s (IEEE P1363, what WebCrypto
 * verifies). Null when the DER is malformed.
 */
export function derToRawEcdsa(der: Uint8Array, size = 32): Uint8Array | null {
	let at = 0;
	const byte = () => (at < der.length ? der[at++]! : -1);
	if (byte() !== 0x30) return null;
	let seqLen = byte();
	if (seqLen === 0x81) seqLen = byte();
	if (seqLen < 0 || at + seqLen !== der.length) return null;
	const out = new Uint8Array(size * 2);
	for (let part = 0; part < 2; part++) {
		if (byte() !== 0x02) return null;
		const len = byte();
		if (len <= 0 || at + len > der.length) return null;
		let int = der.subarray(at, at + len);
		at += len;
		while (int.length > size && int[0] === 0) int = int.subarray(1);
		if (int.length > size) return null;
		out.set(int, part * size + (size - int.length));
	}
	return at === der.length ? out : null;
}
