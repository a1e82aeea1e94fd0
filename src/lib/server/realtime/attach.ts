/**
 * Attaches socket.io to an HTTP server (the production server or Vite's dev server) with the app's
 * namespaces. One function for both, so development and production relay the same way.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { AppContext } from '../app-context';
import { registerAdminNamespace } from './admin-namespace';
import { attachDeviceNamespace } from './device-namespace';
import { allowSocketHandshake } from '../cross-site';

/** How often unanswered operations past their deadline are ended with 1457 (never more than every 30 s). */
export const sweepIntervalMs = (ttlMs: number) => Math.min(30_000, Math.max(250, Math.floor(ttlMs / 4)));

/** Largest socket.io message accepted; larger frames close the connection (SCOMO-SEC hardening). */
export const MAX_MESSAGE_BYTES = 256 * 1024;

export function attachRealtime(httpServer: HttpServer, ctx: AppContext): Server {
	const io = new Server(httpServer, {
		path: '/socket.io',
		maxHttpBufferSize: MAX_MESSAGE_BYTES,
		serveClient: false,
		cors: { origin: ctx.config.origin },
		// Cross-site WebSocket hijacking: a handshake carrying the session cookie must come from this origin
		// (every namespace; the origin is read per request, startServer fills it in after listen).
		allowRequest: (req, done) => done(null, allowSocketHandshake(req.headers, ctx.config.origin))
	});
	ctx.io = io;
	registerAdminNamespace(io, ctx);
	const devices = attachDeviceNamespace(io, ctx);
	ctx.relay = devices.relay;
	const stopSweeper = ctx.services.operations.startExpirySweeper(sweepIntervalMs(ctx.config.operationTtlMs), () => ctx.store.sqlite.open);
	io.engine.on('close', stopSweeper);
	httpServer.once('close', stopSweeper);
	ctx.log.info({ path: '/socket.io' }, 'realtime attached');
	return io;
}
