/**
 * How a request brings its app (app-context.ts) to the SvelteKit hooks, which put it on `event.locals.app`
 * for every route. The server that received the request attaches its own app to it, so two servers in one
 * process each answer with their own store and services.
 *
 * Production and tests (start.ts): adapter-node hands SvelteKit `platform: { req }`, the Node request, and the
 * request listener attaches the app to it before calling the handler. The key is a registered symbol because
 * start.ts and the bundled handler (build/) each hold their own copy of this module; Symbol.for gives both
 * the same key, while the value lives on each request, not in the process.
 *
 * Development (`vite dev`): SvelteKit's dev server passes no platform and builds the Request itself, so the
 * Node request cannot reach the hooks through the event. The Vite plugin's middleware (dev-entry.ts) attaches
 * the app to the request as above and runs the rest of the middleware chain, SvelteKit's included, inside an
 * AsyncLocalStorage scope holding that request. Both run in Vite's SSR module graph, so they share this
 * module. The scope is per request: nothing outlives it, and no app is kept anywhere else.
 */
import type { IncomingMessage } from 'node:http';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AppContext } from './app-context';

const APP = Symbol.for('scomo-relay.app');
type CarriesApp = IncomingMessage & { [APP]?: AppContext };

/** Called by the server that received `req`, before SvelteKit sees it. */
export function attachApp(req: IncomingMessage, app: AppContext): void {
	Object.defineProperty(req, APP, { value: app, enumerable: false, writable: false, configurable: false });
}

const devRequest = new AsyncLocalStorage<IncomingMessage>();

/** Development only: runs `next` (the rest of Vite's middleware chain) with `req` as the current request. */
export function withDevRequest(req: IncomingMessage, next: () => void): void {
	devRequest.run(req, next);
}

/** The app of the request SvelteKit is handling: from adapter-node's platform, or the dev scope. */
export function appOfRequest(platform: App.Platform | undefined): AppContext {
	const req = (platform?.req ?? devRequest.getStore()) as CarriesApp | undefined;
	const app = req?.[APP];
	if (!app) throw new Error('this request carries no SCOMO Relay app (start the server with server.ts or vite dev)');
	return app;
}
