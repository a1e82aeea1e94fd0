/**
 * The data directory's files are the server's alone (issue #13): the SQLite database and its -wal and
 * -shm files, package bundles and key files are created mode 0600, and the server refuses to start when
 * the master key file is readable by the group or others (exit 78, like any configuration error).
 *
 * SQLite creates -wal and -shm with the mode of the database file, so creating the database file 0600
 * before SQLite opens it is what keeps all three private. Files left 0644 by an older version are
 * tightened here (they hold no key; the master key is refused instead, since it may have leaked).
 */
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { sqlitePath, type Config } from './config';
import { assertPrivateKeyFile } from './key-file';

export const PRIVATE_FILE_MODE = 0o600;

/** Creates the file empty with mode 0600 if it does not exist; tightens it to 0600 if it does. */
export function ensurePrivateFile(file: string): void {
	if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
	else closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
}

/** Called at start, after the data directory exists and before the database is opened. */
export function prepareDataFiles(config: Pick<Config, 'databaseUrl' | 'masterKeyFile'>): void {
	if (config.databaseUrl.startsWith('sqlite:')) {
		const db = sqlitePath(config.databaseUrl);
		if (db !== ':memory:') {
			ensurePrivateFile(db);
			for (const f of [`${db}-wal`, `${db}-shm`]) if (existsSync(f)) chmodSync(f, PRIVATE_FILE_MODE);
		}
	}
	if (existsSync(config.masterKeyFile)) assertPrivateKeyFile(config.masterKeyFile, 'The master key');
}
