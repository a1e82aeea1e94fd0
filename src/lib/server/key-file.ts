/**
 * A 32-byte random key kept in a file (base64url, mode 0600), created on first use. Used for the server
 * secret (download tokens) and the master key (sealing MA signing keys): secrets live in files, never in
 * the database.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from './config';

export const KEY_BYTES = 32;

/**
 * Refuses a key file that the group or others may read or write: the key is only as secret as its file,
 * and quietly tightening the mode would hide that it has been exposed. A ConfigError, so the server stops
 * at start with exit code 78 and says what to do.
 */
export function assertPrivateKeyFile(file: string, what: string): void {
	const mode = statSync(file).mode & 0o777;
	if ((mode & 0o077) !== 0) {
		throw new ConfigError([
			`${what} file ${file} has mode ${mode.toString(8).padStart(4, '0')}: group or others may access it. ` +
				`If others could have read it, treat the key as exposed; then "chmod 600 ${file}" and start again.`
		]);
	}
}

/**
 * Creates the key file exclusively with its full content, or keeps the one that exists: the new key is
 * written to a private temp file, then hard-linked to the final name. link() fails when the name exists,
 * so of two processes racing (server and admin CLI) exactly one key wins, no reader ever sees a partial
 * file, and everyone then reads the winner's key.
 */
function createExclusively(file: string): void {
	mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
	const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
	const fd = openSync(tmp, 'wx', 0o600);
	try {
		writeSync(fd, randomBytes(KEY_BYTES).toString('base64url'));
	} finally {
		closeSync(fd);
	}
	try {
		linkSync(tmp, file);
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
	} finally {
		unlinkSync(tmp);
	}
}

/** Reads the key file, or creates it (exclusively, mode 0600) when it does not exist yet. */
export function loadOrCreateKeyFile(file: string, what: string): Buffer {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
		createExclusively(file);
		text = readFileSync(file, 'utf8');
	}
	assertPrivateKeyFile(file, what);
	const key = Buffer.from(text.trim(), 'base64url');
	if (key.length !== KEY_BYTES) throw new Error(`${file} is not a valid ${what} (it must hold ${KEY_BYTES} bytes, base64url)`);
	return key;
}
