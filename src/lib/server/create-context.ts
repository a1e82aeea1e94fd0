/**
 * Builds the application context from a parsed configuration: logger, store (migrated), secrets, event
 * bus and services. Used by server.ts, the Vite dev plugin, the admin CLI and the integration tests alike.
 */
import { ensureDataDir, sqlitePath, type Config } from './config';
import { createLogger, type Logger } from './logger';
import { openStore } from './db/open';
import type { AppContext } from './app-context';
import { APP_VERSION } from './version';
import { EventBus } from './events';
import { loadSecrets } from './secrets';
import { createServices, OFFLINE_RELAY } from './services';
import { prepareDataFiles } from './data-files';

export type ContextOptions = { clock?: () => number };

export function createContext(
	config: Config,
	log: Logger = createLogger(config.logLevel),
	opts: ContextOptions = {}
): AppContext {
	ensureDataDir(config.dataDir);
	prepareDataFiles(config);
	const store = openStore(sqlitePath(config.databaseUrl));
	const events = new EventBus((event, error) => log.error({ err: error, event }, 'event listener failed'));
	const secrets = loadSecrets(config.dataDir);
	const clock = opts.clock ?? Date.now;
	const ctx = {
		config,
		log,
		store,
		io: null,
		startedAt: Date.now(),
		version: APP_VERSION,
		events,
		secrets,
		relay: OFFLINE_RELAY,
		clock
	} as Omit<AppContext, 'services'> as AppContext;
	// Services read config and relay through the context: both change after start (origin, realtime).
	ctx.services = createServices({
		db: store.db,
		config: () => ctx.config,
		log,
		events,
		secrets,
		clock: () => ctx.clock(),
		relay: () => ctx.relay
	});
	return ctx;
}
