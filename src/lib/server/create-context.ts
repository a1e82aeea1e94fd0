/**
 * Builds the application context from a parsed configuration: logger, store (migrated), and later the
 * services. Used by server.ts, the Vite dev plugin and the integration tests alike.
 */
import { ensureDataDir, sqlitePath, type Config } from './config';
import { createLogger, type Logger } from './logger';
import { openStore } from './db/open';
import type { AppContext } from './app-context';
import { APP_VERSION } from './version';

export function createContext(config: Config, log: Logger = createLogger(config.logLevel)): AppContext {
	ensureDataDir(config.dataDir);
	const store = openStore(sqlitePath(config.databaseUrl));
	return { config, log, store, io: null, startedAt: Date.now(), version: APP_VERSION };
}
