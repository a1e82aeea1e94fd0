/**
 * Starts the whole product in this process: HTTP server, SvelteKit handler (from build/), socket.io.
 * Tests call startServer() with their own config (random port, temp data dir).
 *
 * Order matters: everything that answers requests (the SvelteKit handler, socket.io, the security headers)
 * is loaded and attached before listen(). A server that accepts connections before its request listener
 * exists leaves early requests open and unanswered for ever (seen on busy machines: health checks hanging
 * for minutes while later requests got 200). The promise resolves only once the server has answered a
 * request of its own, so whoever prints "running at" afterwards tells the truth.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { Config } from './config';
import { freePort } from './free-port';
import { createApp } from './create-app';
import type { AppContext } from './app-context';
import { attachApp } from './app-request';
import type { Logger } from './logger';
import { BASELINE_CSP, securityHeaders } from './security-headers';
import { answerClientError, refuseApiRequestBeforeKit } from './api-error-shape';

export type RunningServer = {
	url: string;
	port: number;
	ctx: AppContext;
	close(): Promise<void>;
};

type NodeHandler = (req: http.IncomingMessage, res: http.ServerResponse, next?: () => void) => void;

const PROJECT_ROOT = path.resolve(new URL('../../..', import.meta.url).pathname);

/**
 * Server-side limits on slow clients: headers must arrive within HEADERS_TIMEOUT_MS and the whole request
 * (a package upload included) within REQUEST_TIMEOUT_MS, or Node answers 408 and closes the connection.
 */
export const HEADERS_TIMEOUT_MS = 20_000;
export const REQUEST_TIMEOUT_MS = 120_000;
/**
 * Idle keep-alive connections stay open this long. Longer than the idle timeouts of clients and proxies
 * (undici 4 s, nginx 60 s), so the client always closes an idle connection first: with Node's 5 s default,
 * a client whose event loop stalled past it reused a socket the server had just closed and got ECONNRESET.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

async function loadSvelteKitHandler(): Promise<NodeHandler> {
	const file = path.join(PROJECT_ROOT, 'build', 'handler.js');
	if (!existsSync(file)) {
		throw new Error(`The app is not built (${file} is missing): run "npm run build" first`);
	}
	const mod = (await import(pathToFileURL(file).href)) as { handler: NodeHandler };
	return mod.handler;
}

/** Where this process itself can reach the listener (a wildcard address is reached through loopback). */
function loopbackUrl(address: AddressInfo): string {
	const host = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
	return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

/** Resolves once the server has answered one HTTP request (any status: /healthz says 503 without a database). */
function answersRequests(url: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const req = http.get(`${url}/healthz`, { agent: false }, (res) => {
			res.resume();
			res.once('end', () => resolve());
		});
		req.once('error', reject);
	});
}

export async function startServer(config: Config, opts: { log?: Logger; clock?: () => number } = {}): Promise<RunningServer> {
	// Port 0 means "any free port". The port must be known before the handler loads (adapter-node reads ORIGIN
	// once, when its module loads), and the handler must load before listen(): so ask the OS for a free port
	// with a throw-away listener first. Node listens with SO_REUSEADDR, so only another listener taking the port
	// in between could make the real listen() fail, and that fails loudly (EADDRINUSE), never silently.
	const port = config.port === 0 ? await freePort(config.host) : config.port;
	const effective: Config =
		config.port === 0
			? { ...config, port, origin: config.origin === 'http://localhost:0' ? `http://localhost:${port}` : config.origin }
			: config;
	// adapter-node reads ORIGIN when its handler module loads; it must be the real origin for CSRF checks. The
	// module loads once per process, so a second server in one process (tests) keeps the first one's ORIGIN for
	// SvelteKit's event.url; everything the app says about itself uses its own config.origin.
	process.env.ORIGIN = effective.origin;
	// adapter-node's own body limit (512K by default) must admit package uploads; routes enforce their own limits.
	process.env.BODY_SIZE_LIMIT ??= String(Math.max(8 * 1024 * 1024, Math.ceil((config.maxBundleBytes * 4) / 3) + 1024 * 1024));
	const handler = await loadSvelteKitHandler();

	const httpServer = http.createServer({
		headersTimeout: HEADERS_TIMEOUT_MS,
		requestTimeout: REQUEST_TIMEOUT_MS,
		keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS
	});
	// The whole app, socket.io on this server included, complete before the first request can arrive.
	const ctx = createApp(effective, { log: opts.log, clock: opts.clock, httpServer });
	const headers = Object.entries({ ...securityHeaders(effective.origin), 'content-security-policy': BASELINE_CSP });
	httpServer.on('request', (req, res) => {
		// socket.io answers its own path; everything else is SvelteKit.
		if (req.url?.startsWith('/socket.io/')) return;
		// Also for static files and prerendered pages, which skip hooks; rendered pages replace the CSP with kit's.
		for (const [k, v] of headers) res.setHeader(k, v);
		if (refuseApiRequestBeforeKit(req, res)) return;
		// This server's app travels with the request to the hooks (adapter-node passes platform: { req }).
		attachApp(req, ctx);
		handler(req, res);
	});
	httpServer.on('clientError', answerClientError);

	const shutDown = async () => {
		ctx.io?.disconnectSockets(true);
		await new Promise<void>((resolve) => {
			ctx.io ? ctx.io.close(() => resolve()) : httpServer.close(() => resolve());
		});
		ctx.store.close();
	};
	// Closing twice (a test that closes early, then its afterAll) waits for the one shutdown.
	let closed: Promise<void> | null = null;
	const close = () => (closed ??= shutDown());
	await new Promise<void>((resolve, reject) => {
		httpServer.once('error', reject);
		httpServer.listen(port, effective.host, () => {
			httpServer.off('error', reject);
			resolve();
		});
	}).catch(async (e: unknown) => {
		await close();
		throw e;
	});
	await answersRequests(loopbackUrl(httpServer.address() as AddressInfo));

	const url = ctx.config.origin;
	ctx.log.info({ url }, 'SCOMO Relay listening');
	return { url, port, ctx, close };
}
