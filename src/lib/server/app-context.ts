/**
 * The one place server singletons (config, logger, store, socket.io, services) are shared with
 * SvelteKit routes. server.ts (production), the Vite dev plugin and the tests create the context and
 * register it here; routes read it with appContext().
 *
 * The value lives on globalThis under a registered symbol because the SvelteKit handler is a separate
 * module graph (bundled in build/, or Vite's SSR module runner in dev) from the code that starts the
 * server; a plain module variable would exist twice.
 */
import type { Server as IoServer } from 'socket.io';
import type { Config } from './config';
import type { Logger } from './logger';
import type { Store } from './db/open';
import type { EventBus } from './events';
import type { ServerSecrets } from './secrets';
import type { Services, Relay } from './services';

export type AppContext = {
	config: Config;
	log: Logger;
	store: Store;
	io: IoServer | null;
	startedAt: number;
	version: string;
	/** Typed server events (operation updates, devices online/offline, inventory, device requests). */
	events: EventBus;
	/** Keys kept in the data directory (download-token HMAC key). */
	secrets: ServerSecrets;
	/** Business rules: enrollment, packages, operations, inventory, catalog, device requests. */
	services: Services;
	/** The realtime side of the services; OFFLINE_RELAY until the device namespace is attached. */
	relay: Relay;
	/** Epoch milliseconds; one clock for the whole context so tests can move time. */
	clock: () => number;
};

const KEY = Symbol.for('scomo-relay.app-context');
type Holder = { [KEY]?: AppContext };

export function setAppContext(ctx: AppContext | undefined): void {
	(globalThis as Holder)[KEY] = ctx;
}

export function appContext(): AppContext {
	const ctx = (globalThis as Holder)[KEY];
	if (!ctx) throw new Error('SCOMO Relay app context is not initialised (start the server with server.ts)');
	return ctx;
}
