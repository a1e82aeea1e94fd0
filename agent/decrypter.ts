/**
 * The agent's encryption key (SCOMO-SEC-03): ECDH P-256, generated on the device (WebCrypto), kept as a
 * PKCS#8 PEM file readable only by its owner (mode 0600), next to the signing key. Packages the server seals
 * to its public key are opened here; the private key never leaves the file and this process.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import path from 'node:path';
import { generateEncryptionKeyPair, openSealedPackage, type Decrypter } from '../src/lib/device';
import { readPemOrNull, writePrivateKeyPem } from './pem-file';

export const ENCRYPTION_KEY_FILE = 'encryption-key.pem';

function decrypterFrom(privateKey: CryptoKey, publicKey: string): Decrypter {
	return {
		publicKey,
		async open(sealed) {
			const r = await openSealedPackage(privateKey, sealed);
			return r.ok ? { ok: true, bytes: r.bytes } : r;
		}
	};
}

export async function loadOrCreateDecrypter(dataDir: string): Promise<Decrypter> {
	const file = path.join(dataDir, ENCRYPTION_KEY_FILE);
	const pem = await readPemOrNull(file);
	if (pem === null) {
		const keys = await generateEncryptionKeyPair(true);
		await writePrivateKeyPem(file, keys.privateKey);
		// Use a non-extractable copy from here on: nothing in the process can export it again.
		const der = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
		const privateKey = await crypto.subtle.importKey('pkcs8', der, { name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
		return decrypterFrom(privateKey, keys.publicKey);
	}
	const keyObject = createPrivateKey(pem);
	if (keyObject.asymmetricKeyType !== 'ec' || keyObject.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
		throw new Error(`${file} is not an ECDH P-256 key`);
	}
	const jwk = createPublicKey(keyObject).export({ format: 'jwk' });
	const raw = Buffer.concat([Buffer.from([4]), Buffer.from(String(jwk.x), 'base64url'), Buffer.from(String(jwk.y), 'base64url')]);
	const der = keyObject.export({ format: 'der', type: 'pkcs8' });
	const privateKey = await crypto.subtle.importKey('pkcs8', new Uint8Array(der), { name: 'ECDH', namedCurve: 'P-256' }, false, [
		'deriveBits'
	]);
	return decrypterFrom(privateKey, raw.toString('base64url'));
}
