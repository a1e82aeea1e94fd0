/** PKCS#8 private keys as PEM files beside the agent's state (the signing key and the encryption key). */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-file';

export function toPem(der: ArrayBuffer): string {
	const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n');
	return `-----BEGIN PRIVATE KEY-----\n${b64.trim()}\n-----END PRIVATE KEY-----\n`;
}

/** The PEM text, or null when the file does not exist yet (any other error is real). */
export async function readPemOrNull(file: string): Promise<string | null> {
	try {
		return await readFile(file, 'utf8');
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
		return null;
	}
}

/** Writes a new private key readable only by its owner (mode 0600), atomically. */
export async function writePrivateKeyPem(file: string, privateKey: CryptoKey): Promise<void> {
	await writeFileAtomic(file, toPem(await crypto.subtle.exportKey('pkcs8', privateKey)), 0o600);
}
