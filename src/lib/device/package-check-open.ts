/**
 * The device's side of sealed packages (SCOMO-SEC-03): its static ECDH P-256 key pair and opening a sealed
 * bundle with it. WebCrypto only, so the agent (Node's crypto.subtle) and the PWA (a non-extractable CryptoKey
 * kept in IndexedDB) share it. The server side is src/lib/server/package-crypto/seal.ts.
 */
import { decodeSealed, SEALED_HKDF_INFO } from '../contract/sealed-package';
import { fromBase64Url, toBase64Url } from './crypto';

const buf = (u: Uint8Array) => u as Uint8Array<ArrayBuffer>;

export type EncryptionKeyPair = { privateKey: CryptoKey; publicKey: string };

/**
 * A new ECDH P-256 key pair; the public key as the raw uncompressed point, base64url (EnrollRequest
 * encryptionKey). `extractable` only where the private key must go to a file (the agent).
 */
export async function generateEncryptionKeyPair(extractable: boolean): Promise<EncryptionKeyPair> {
	const pair = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, extractable, ['deriveBits'])) as CryptoKeyPair;
	const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
	return { privateKey: pair.privateKey, publicKey: toBase64Url(raw) };
}

export type OpenResult =
	| { ok: true; bytes: Uint8Array; header: import('../contract/sealed-package').SealedHeaderMsg }
	| { ok: false; message: string };

/** Decrypts a sealed package with the device's private key; any failure is a value, never a throw. */
export async function openSealedPackage(privateKey: CryptoKey, sealed: Uint8Array): Promise<OpenResult> {
	const decoded = decodeSealed(sealed);
	if (!decoded.ok) return decoded;
	const { header, headerBytes, ciphertext } = decoded.value;
	try {
		const epk = await crypto.subtle.importKey('raw', buf(fromBase64Url(header.epk)), { name: 'ECDH', namedCurve: 'P-256' }, false, []);
		const shared = await crypto.subtle.deriveBits({ name: 'ECDH', public: epk }, privateKey, 256);
		const hkdf = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
		const kek = await crypto.subtle.deriveKey(
			{ name: 'HKDF', hash: 'SHA-256', salt: buf(fromBase64Url(header.salt)), info: new TextEncoder().encode(SEALED_HKDF_INFO) },
			hkdf,
			{ name: 'AES-KW', length: 256 },
			false,
			['unwrapKey']
		);
		const cek = await crypto.subtle.unwrapKey('raw', buf(fromBase64Url(header.wrappedKey)), kek, 'AES-KW', { name: 'AES-GCM' }, false, [
			'decrypt'
		]);
		const plain = await crypto.subtle.decrypt(
			{ name: 'AES-GCM', iv: buf(fromBase64Url(header.iv)), additionalData: buf(headerBytes) },
			cek,
			buf(ciphertext)
		);
		return { ok: true, bytes: new Uint8Array(plain), header };
	} catch {
		// Wrong device key, a changed header, ciphertext or tag: WebCrypto only says "OperationError".
		return { ok: false, message: 'the package could not be decrypted with this device’s key (not for this device, or altered)' };
	}
}
