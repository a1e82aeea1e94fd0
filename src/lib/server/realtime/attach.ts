/**
 * Attaches socket.io to an HTTP server (the production server or Vite's dev server) with the app's
 * namespaces. One function for both, so development and production relay the same way.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { AppContext } from '../app-context';

/** Largest socket.io message accepted; larger frames close the connection (SCOMO-SEC hardening). */
export const MAX_MESSAGE_BYTES = 256 * 1024;

export function attachRealtime(httpServer: HttpServer, ctx: AppContext): Server {
	const io = new Server(httpServer, {
		path: '/socket.io',
		maxHttpBufferSize: MAX_MESSAGE_BYTES,
		serveClient: false,
		cors: { origin: ctx.config.origin }
	});
	ctx.io = io;
	ctx.log.info({ path: '/socket.io' }, 'realtime attached');
	return io;
}
