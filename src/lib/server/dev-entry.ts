/**
 * Development entry, loaded by the Vite plugin (vite.config.ts) through Vite's own SSR module loader, so
 * that app-request.ts here is the same module the hooks use in dev SSR.
 */
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { parseConfig } from './config';
import { createApp } from './create-app';
import { attachApp, withDevRequest } from './app-request';

export type DevMiddleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** Builds the app on Vite's HTTP server and returns the middleware that hands it to each request. */
export function startDev(httpServer: HttpServer, port: number, env: Record<string, string | undefined>): DevMiddleware {
	const config = parseConfig({ SCOMO_ORIGIN: `http://localhost:${port}`, ...env });
	const app = createApp(config, { httpServer });
	return (req, _res, next) => {
		attachApp(req, app);
		withDevRequest(req, next);
	};
}
