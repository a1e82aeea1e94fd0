/**
 * The server master key (SCOMO-SEC-01): 32 random bytes in a file (SCOMO_MASTER_KEY_FILE, by default
 * <data dir>/master.key, mode 0600) created on first start. It seals the MAs' command-signing private keys
 * with AES-256-GCM, so a copy of the database (a backup, a leaked dump) signs nothing without the key file.
 * Keep the file out of database backups, or on another volume.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { loadOrCreateKeyFile } from '../key-file';

const SEALED_PREFIX = 'v1';
const TAG_BYTES = 16;

export function loadOrCreateMasterKey(file: string): Buffer {
	return loadOrCreateKeyFile(file, 'master key');
}

/**
 * AES-256-GCM with a fresh 96-bit IV; `aad` binds the ciphertext to its purpose and row (e.g. the key ID),
 * so a sealed value copied into another row does not open.
 */
export function sealSecret(masterKey: Buffer, plaintext: Buffer, aad: string): string {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', masterKey, iv, { authTagLength: TAG_BYTES });
	cipher.setAAD(Buffer.from(aad, 'utf8'));
	const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
	return [SEALED_PREFIX, iv.toString('base64url'), ct.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

/** Opens a sealed value; throws when the key, the AAD or any byte is wrong (GCM authenticates all of it). */
export function openSecret(masterKey: Buffer, sealed: string, aad: string): Buffer {
	const [prefix, iv, ct, tag] = sealed.split('.');
	if (prefix !== SEALED_PREFIX || !iv || ct === undefined || !tag) throw new Error('not a sealed value');
	const authTag = Buffer.from(tag, 'base64url');
	// Without authTagLength Node accepts a tag as short as 4 bytes, which is forgeable by trial.
	if (authTag.length !== TAG_BYTES) throw new Error('not a sealed value');
	const decipher = createDecipheriv('aes-256-gcm', masterKey, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
	decipher.setAAD(Buffer.from(aad, 'utf8'));
	decipher.setAuthTag(authTag);
	return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]);
}
