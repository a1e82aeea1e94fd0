/**
 * The server secret: a random key kept in the data directory (mode 0600), created on first start. It
 * signs short-lived download tokens (SCOMO-SEC-03), so a restart keeps issued links valid and no secret
 * ever lives in the database.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, openSync, readFileSync, writeSync, renameSync, existsSync, unlinkSync } from 'node:fs';
import path from 'node:path';

export const SERVER_SECRET_FILE = 'server-secret.key';

export type ServerSecrets = { downloadKey: Buffer };

/** Read the key file, or create it atomically (write a temp file, then rename) with mode 0600. */
export function loadOrCreateServerSecret(dataDir: string): Buffer {
	const file = path.join(dataDir, SERVER_SECRET_FILE);
	if (!existsSync(file)) {
		const tmp = `${file}.${process.pid}.tmp`;
		const fd = openSync(tmp, 'wx', 0o600);
		try {
			writeSync(fd, randomBytes(32).toString('base64url'));
		} finally {
			closeSync(fd);
		}
		// Two processes racing (server and admin CLI): rename is atomic, the last one wins before anyone reads.
		if (!existsSync(file)) renameSync(tmp, file);
		else unlinkSync(tmp);
	}
	chmodSync(file, 0o600);
	const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
	if (key.length < 32) throw new Error(`${file} is not a valid server secret (too short)`);
	return key;
}

export function loadSecrets(dataDir: string): ServerSecrets {
	return { downloadKey: loadOrCreateServerSecret(dataDir) };
}
