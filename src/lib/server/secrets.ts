/**
 * The server secret: a random key kept in the data directory (mode 0600), created on first start. It
 * signs short-lived download tokens (SCOMO-SEC-03), so a restart keeps issued links valid and no secret
 * ever lives in the database.
 */
import path from 'node:path';
import { loadOrCreateKeyFile } from './key-file';

export const SERVER_SECRET_FILE = 'server-secret.key';

export type ServerSecrets = { downloadKey: Buffer };

export function loadOrCreateServerSecret(dataDir: string): Buffer {
	return loadOrCreateKeyFile(path.join(dataDir, SERVER_SECRET_FILE), 'server secret');
}

export function loadSecrets(dataDir: string): ServerSecrets {
	return { downloadKey: loadOrCreateServerSecret(dataDir) };
}
