/**
 * A 32-byte random key kept in a file (base64url, mode 0600), created on first use. Used for the server
 * secret (download tokens) and the master key (sealing MA signing keys): secrets live in files, never in
 * the database.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

export const KEY_BYTES = 32;

/** Reads the key file, or creates it atomically (temp file, then rename) with mode 0600. */
export function loadOrCreateKeyFile(file: string, what: string): Buffer {
	if (!existsSync(file)) {
		mkdirSync(path.dirname(file), { recursive: true });
		const tmp = `${file}.${process.pid}.tmp`;
		const fd = openSync(tmp, 'wx', 0o600);
		try {
			writeSync(fd, randomBytes(KEY_BYTES).toString('base64url'));
		} finally {
			closeSync(fd);
		}
		// Server and admin CLI racing: rename is atomic; whoever is second keeps the first one's file.
		if (!existsSync(file)) renameSync(tmp, file);
		else unlinkSync(tmp);
	}
	chmodSync(file, 0o600);
	const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
	if (key.length !== KEY_BYTES) throw new Error(`${file} is not a valid ${what} (it must hold ${KEY_BYTES} bytes, base64url)`);
	return key;
}
