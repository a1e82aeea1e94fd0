/**
 * Starts the whole product in this process: HTTP server, SvelteKit handler (from build/), socket.io.
 * Tests call startServer() with their own config (random port, temp data dir).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { Config } from './config';
import { createContext } from './create-context';
import { setAppContext, type AppContext } from './app-context';
import { attachRealtime } from './realtime/attach';
import type { Logger } from './logger';
import { BASELINE_CSP, securityHeaders } from './security-headers';

export type RunningServer = {
	url: string;
	port: number;
	ctx: AppContext;
	close(): Promise<void>;
};

type NodeHandler = (req: http.IncomingMessage, res: http.ServerResponse, next?: () => void) => void;

const PROJECT_ROOT = path.resolve(new URL('../../..', import.meta.url).pathname);

async function loadSvelteKitHandler(): Promise<NodeHandler> {
	const file = path.join(PROJECT_ROOT, 'build', 'handler.js');
	if (!existsSync(file)) {
		throw new Error(`The app is not built (${file} is missing): run "npm run build" first`);
	}
	const mod = (await import(pathToFileURL(file).href)) as { handler: NodeHandler };
	return mod.handler;
}

export async function startServer(config: Config, opts: { log?: Logger } = {}): Promise<RunningServer> {
	const ctx = createContext(config, opts.log);
	setAppContext(ctx);
	const httpServer = http.createServer();
	attachRealtime(httpServer, ctx);

	// The request listener is in place BEFORE listening: a request that arrives while the SvelteKit handler
	// is still loading (seconds on a busy machine) waits for it instead of hanging unanswered forever.
	let handlerLoaded!: (h: NodeHandler) => void;
	const handlerReady = new Promise<NodeHandler>((resolve) => (handlerLoaded = resolve));
	let headers: [string, string][] = [];
	httpServer.on('request', (req, res) => {
		// socket.io answers its own path; everything else is SvelteKit.
		if (req.url?.startsWith('/socket.io/')) return;
		void handlerReady.then((handler) => {
			// Also for static files and prerendered pages, which skip hooks; rendered pages replace the CSP with kit's.
			for (const [k, v] of headers) res.setHeader(k, v);
			handler(req, res);
		});
	});

	await new Promise<void>((resolve, reject) => {
		httpServer.once('error', reject);
		httpServer.listen(config.port, config.host, () => resolve());
	});
	const port = (httpServer.address() as AddressInfo).port;
	if (config.port === 0) ctx.config = { ...config, port, origin: `http://localhost:${port}` };
	// adapter-node reads ORIGIN when its handler module loads; it must be the real origin for CSRF checks.
	process.env.ORIGIN = ctx.config.origin;
	// adapter-node's own body limit (512K by default) must admit package uploads; routes enforce their own limits.
	process.env.BODY_SIZE_LIMIT ??= String(Math.max(8 * 1024 * 1024, Math.ceil((config.maxBundleBytes * 4) / 3) + 1024 * 1024));
	headers = Object.entries({ ...securityHeaders(ctx.config.origin), 'content-security-policy': BASELINE_CSP });
	handlerLoaded(await loadSvelteKitHandler());

	const url = ctx.config.origin;
	ctx.log.info({ url }, 'SCOMO Relay listening');
	return {
		url,
		port,
		ctx,
		async close() {
			ctx.io?.disconnectSockets(true);
			await new Promise<void>((resolve) => {
				ctx.io ? ctx.io.close(() => resolve()) : httpServer.close(() => resolve());
			});
			ctx.store.close();
			setAppContext(undefined);
		}
	};
}
