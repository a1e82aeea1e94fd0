/**
 * The composition root: builds one app from a final configuration (the real origin included) in order:
 * logger, store (migrated), secrets, event bus, realtime transport (when given the HTTP server), services,
 * then the realtime handlers. The result is complete and frozen: nothing is attached or replaced later.
 * Used by start.ts (production and tests), the Vite dev plugin and the admin CLI alike.
 */
import type { Server as HttpServer } from 'node:http';
import { ensureDataDir, sqlitePath, type Config } from './config';
import { createLogger, type Logger } from './logger';
import { openStore } from './db/open';
import type { AppContext } from './app-context';
import { APP_VERSION } from './version';
import { EventBus } from './events';
import { loadSecrets } from './secrets';
import { createServices, OFFLINE_RELAY } from './services';
import { prepareDataFiles } from './data-files';
import { openRealtime, serveRealtime } from './realtime/attach';
import { createAuthRateLimiter, createEnrollRateLimiter } from './auth/rate-limit';

export type AppOptions = {
	log?: Logger;
	/** Epoch milliseconds; tests pass a movable clock to reach expiry without waiting. */
	clock?: () => number;
	/** socket.io is attached to it (the device and admin namespaces); without it every device is offline. */
	httpServer?: HttpServer;
};

export function createApp(config: Config, opts: AppOptions = {}): AppContext {
	const log = opts.log ?? createLogger(config.logLevel);
	ensureDataDir(config.dataDir);
	prepareDataFiles(config);
	const store = openStore(sqlitePath(config.databaseUrl));
	const events = new EventBus((event, error) => log.error({ err: error, event }, 'event listener failed'));
	const secrets = loadSecrets(config.dataDir);
	const clock = opts.clock ?? Date.now;
	const realtime = opts.httpServer ? openRealtime(opts.httpServer, config, log) : null;
	const relay = realtime?.devices.relay ?? OFFLINE_RELAY;
	const services = createServices({ db: store.db, config: () => config, log, events, secrets, clock, relay: () => relay });
	const ctx: AppContext = Object.freeze({
		config,
		log,
		store,
		io: realtime?.io ?? null,
		startedAt: clock(),
		version: APP_VERSION,
		events,
		secrets,
		services,
		relay,
		clock,
		limits: Object.freeze({ auth: createAuthRateLimiter(), enroll: createEnrollRateLimiter() })
	});
	if (realtime) {
		serveRealtime(realtime, ctx);
		// The rollout scheduler runs in the serving process only (tools such as the admin CLI never tick it). On
		// several nodes only the leader may: the scheduler's isLeader hook (services/rollouts/scheduler.ts).
		services.rolloutScheduler.start(config.rolloutTickMs);
		realtime.httpServer.once('close', () => services.rolloutScheduler.stop());
	}
	return ctx;
}
