/**
 * The agent's device key: Ed25519, generated on the device (WebCrypto), kept as a PKCS#8 PEM file readable
 * only by its owner (mode 0600). The public key is derived from the private one when loading.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { generateEd25519, signerFromKey, type Signer } from '../src/lib/device';
import { writeFileAtomic } from './atomic-file';

export const KEY_FILE = 'device-key.pem';

function toPem(der: ArrayBuffer): string {
	const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n');
	return `-----BEGIN PRIVATE KEY-----\n${b64.trim()}\n-----END PRIVATE KEY-----\n`;
}

export async function loadOrCreateSigner(dataDir: string): Promise<Signer> {
	const file = path.join(dataDir, KEY_FILE);
	let pem: string | null = null;
	try {
		pem = await readFile(file, 'utf8');
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
	}
	if (pem === null) {
		const keys = await generateEd25519(true);
		await writeFileAtomic(file, toPem(await crypto.subtle.exportKey('pkcs8', keys.privateKey)), 0o600);
		return keys.signer;
	}
	const keyObject = createPrivateKey(pem);
	if (keyObject.asymmetricKeyType !== 'ed25519') throw new Error(`${file} is not an Ed25519 key`);
	const jwk = createPublicKey(keyObject).export({ format: 'jwk' });
	const der = keyObject.export({ format: 'der', type: 'pkcs8' });
	const privateKey = await crypto.subtle.importKey('pkcs8', new Uint8Array(der), { name: 'Ed25519' }, false, ['sign']);
	return signerFromKey(privateKey, String(jwk.x));
}
