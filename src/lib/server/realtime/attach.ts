/**
 * socket.io on an HTTP server (the production server or Vite's dev server) with the app's namespaces. One
 * setup for both, so development and production relay the same way. In two steps, both inside createApp:
 * openRealtime before the services (they send through its relay), serveRealtime after (the handlers call
 * the services), so the app context is complete, and never changed, once createApp returns it.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { AppContext } from '../app-context';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { registerAdminNamespace } from './admin-namespace';
import { createDeviceNamespace, serveDeviceNamespace, type DeviceNamespace } from './device-namespace';
import { allowSocketHandshake } from '../cross-site';

/** How often unanswered operations past their deadline are ended with 1457 (never more than every 30 s). */
export const sweepIntervalMs = (ttlMs: number) => Math.min(30_000, Math.max(250, Math.floor(ttlMs / 4)));

/** Largest socket.io message accepted; larger frames close the connection (SCOMO-SEC hardening). */
export const MAX_MESSAGE_BYTES = 256 * 1024;

export type Realtime = { httpServer: HttpServer; io: Server; devices: DeviceNamespace };

export function openRealtime(httpServer: HttpServer, config: Config, log: Logger): Realtime {
	const io = new Server(httpServer, {
		path: '/socket.io',
		maxHttpBufferSize: MAX_MESSAGE_BYTES,
		serveClient: false,
		cors: { origin: config.origin },
		// Cross-site WebSocket hijacking: a handshake carrying the session cookie must come from this origin.
		allowRequest: (req, done) => done(null, allowSocketHandshake(req.headers, config.origin))
	});
	return { httpServer, io, devices: createDeviceNamespace(io, config, log) };
}

export function serveRealtime(realtime: Realtime, ctx: AppContext): void {
	const { httpServer, io, devices } = realtime;
	registerAdminNamespace(io, ctx);
	serveDeviceNamespace(devices, ctx);
	const stopSweeper = ctx.services.operations.startExpirySweeper(sweepIntervalMs(ctx.config.operationTtlMs), () => ctx.store.sqlite.open);
	io.engine.on('close', stopSweeper);
	httpServer.once('close', stopSweeper);
	ctx.log.info({ path: '/socket.io' }, 'realtime attached');
}
