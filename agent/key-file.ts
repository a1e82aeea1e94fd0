/**
 * The agent's device key: Ed25519, generated on the device (WebCrypto), kept as a PKCS#8 PEM file readable
 * only by its owner (mode 0600). The public key is derived from the private one when loading.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import path from 'node:path';
import { generateEd25519, signerFromKey, type Signer } from '../src/lib/device';
import { readPemOrNull, writePrivateKeyPem } from './pem-file';

export const KEY_FILE = 'device-key.pem';

export async function loadOrCreateSigner(dataDir: string): Promise<Signer> {
	const file = path.join(dataDir, KEY_FILE);
	const pem = await readPemOrNull(file);
	if (pem === null) {
		const keys = await generateEd25519(true);
		await writePrivateKeyPem(file, keys.privateKey);
		return keys.signer;
	}
	const keyObject = createPrivateKey(pem);
	if (keyObject.asymmetricKeyType !== 'ed25519') throw new Error(`${file} is not an Ed25519 key`);
	const jwk = createPublicKey(keyObject).export({ format: 'jwk' });
	const der = keyObject.export({ format: 'der', type: 'pkcs8' });
	const privateKey = await crypto.subtle.importKey('pkcs8', new Uint8Array(der), { name: 'Ed25519' }, false, ['sign']);
	return signerFromKey(privateKey, String(jwk.x));
}
