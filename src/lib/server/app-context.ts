/**
 * What one running server is made of: config, logger, store, socket.io, services, limits. createApp
 * (create-app.ts) builds it complete and frozen; each request carries it to the routes as
 * `event.locals.app` (app-request.ts, hooks.server.ts). There is no process-wide instance, so two servers
 * in one process (tests) are independent.
 */
import type { Server as IoServer } from 'socket.io';
import type { Config } from './config';
import type { Logger } from './logger';
import type { Store } from './db/open';
import type { EventBus } from './events';
import type { ServerSecrets } from './secrets';
import type { Services, Relay } from './services';
import type { RateLimiter } from './auth/rate-limit';

export type AppContext = Readonly<{
	config: Config;
	log: Logger;
	store: Store;
	/** socket.io, when the app was created on an HTTP server; null for tools (admin CLI). */
	io: IoServer | null;
	startedAt: number;
	version: string;
	/** Typed server events (operation updates, devices online/offline, inventory, device requests). */
	events: EventBus;
	/** Keys kept in the data directory (download-token HMAC key). */
	secrets: ServerSecrets;
	/** Business rules: enrollment, packages, operations, inventory, catalog, device requests. */
	services: Services;
	/** The realtime side of the services: the device namespace, or OFFLINE_RELAY without an HTTP server. */
	relay: Relay;
	/** Epoch milliseconds; one clock for the whole app, given to createApp (tests pass a movable one). */
	clock: () => number;
	/** Rate limits of this server (auth/rate-limit.ts): authentication attempts, refused enrollments. */
	limits: Readonly<{ auth: RateLimiter; enroll: RateLimiter }>;
}>;
