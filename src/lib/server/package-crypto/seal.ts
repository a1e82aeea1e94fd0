/**
 * Sealing a bundle for one device (SCOMO-SEC-03): AES-256-GCM under a fresh content key; the content key
 * wrapped with AES-KW under a key derived by HKDF-SHA-256 from ECDH P-256 between a fresh ephemeral key and
 * the device's static encryption key. Only WebCrypto algorithms, so the browser opens it with
 * crypto.subtle and a non-extractable private key (src/lib/device/package-check-open.ts).
 *
 * A copied download link or a cache in between sees only ciphertext: without the device's private key the
 * content key cannot be unwrapped, and every download uses a new ephemeral key, salt, content key and nonce.
 */
import {
	encodeSealed,
	SEALED_ALG,
	SEALED_HKDF_INFO,
	type SealedHeaderMsg
} from '../../contract/sealed-package';

const subtle = globalThis.crypto.subtle;
const b64 = (bytes: ArrayBuffer | Uint8Array) => Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('base64url');
const buf = (u: Uint8Array) => u as Uint8Array<ArrayBuffer>;

export type SealContext = Pick<SealedHeaderMsg, 'deviceId' | 'versionId' | 'componentId' | 'version' | 'sha256' | 'size'>;

/**
 * The per-download secrets: a fresh ephemeral ECDH key, HKDF salt, GCM nonce and content key. Only the
 * published test vectors (docs/vectors, scripts/protocol-vectors.ts) pass fixed ones to sealWith().
 */
export type SealSecrets = { ephemeral: CryptoKeyPair; salt: Uint8Array; iv: Uint8Array; contentKey: CryptoKey };

async function freshSecrets(): Promise<SealSecrets> {
	return {
		ephemeral: (await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits'])) as CryptoKeyPair,
		salt: crypto.getRandomValues(new Uint8Array(32)),
		iv: crypto.getRandomValues(new Uint8Array(12)),
		contentKey: await subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt'])
	};
}

/** The sealed container (contract/sealed-package.ts) of `bundle` for the holder of `deviceKey`'s private key. */
export async function sealPackage(bundle: Uint8Array, deviceKey: Uint8Array, context: SealContext): Promise<Uint8Array> {
	return sealWith(bundle, deviceKey, context, await freshSecrets());
}

/** Sealing with given secrets: deterministic, for the test vectors; production always calls sealPackage(). */
export async function sealWith(bundle: Uint8Array, deviceKey: Uint8Array, context: SealContext, secrets: SealSecrets): Promise<Uint8Array> {
	const { ephemeral, salt, iv, contentKey: cek } = secrets;
	const device = await subtle.importKey('raw', buf(deviceKey), { name: 'ECDH', namedCurve: 'P-256' }, false, []);
	const shared = await subtle.deriveBits({ name: 'ECDH', public: device }, ephemeral.privateKey, 256);
	const hkdf = await subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
	const kek = await subtle.deriveKey(
		{ name: 'HKDF', hash: 'SHA-256', salt: buf(salt), info: new TextEncoder().encode(SEALED_HKDF_INFO) },
		hkdf,
		{ name: 'AES-KW', length: 256 },
		false,
		['wrapKey']
	);
	const wrappedKey = await subtle.wrapKey('raw', cek, kek, 'AES-KW');
	const header: SealedHeaderMsg = {
		v: 1,
		alg: SEALED_ALG,
		epk: b64(await subtle.exportKey('raw', ephemeral.publicKey)),
		salt: b64(salt),
		wrappedKey: b64(wrappedKey),
		iv: b64(iv),
		...context
	};
	const headerBytes = new TextEncoder().encode(JSON.stringify(header));
	const ciphertext = await subtle.encrypt({ name: 'AES-GCM', iv: buf(iv), additionalData: headerBytes }, cek, buf(bundle));
	return encodeSealed(headerBytes, new Uint8Array(ciphertext));
}
