/**
 * Development entry, loaded by the Vite plugin through Vite's own SSR module loader so that the context
 * it registers is the same module graph SvelteKit's dev SSR uses.
 */
import type { Server as HttpServer } from 'node:http';
import { parseConfig } from './config';
import { createContext } from './create-context';
import { setAppContext } from './app-context';
import { attachRealtime } from './realtime/attach';

export function startDev(httpServer: HttpServer, port: number, env: Record<string, string | undefined>): void {
	const config = parseConfig({ SCOMO_ORIGIN: `http://localhost:${port}`, ...env });
	const ctx = createContext(config);
	setAppContext(ctx);
	attachRealtime(httpServer, ctx);
}
