import { sveltekit } from '@sveltejs/kit/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import type { Server as HttpServer } from 'node:http';

/**
 * In development, attach the same realtime setup (socket.io + context) to Vite's dev server that
 * server.ts attaches in production. Imported lazily so `vite build` never opens the database.
 */
function scomoRealtimeDev(): Plugin {
	return {
		name: 'scomo-realtime-dev',
		apply: 'serve',
		async configureServer(server) {
			if (!server.httpServer) return;
			const { parseConfig } = await import('./src/lib/server/config');
			const { createContext } = await import('./src/lib/server/create-context');
			const { setAppContext } = await import('./src/lib/server/app-context');
			const { attachRealtime } = await import('./src/lib/server/realtime/attach');
			const port = server.config.server.port ?? 5173;
			const config = parseConfig({ SCOMO_ORIGIN: `http://localhost:${port}`, ...process.env });
			const ctx = createContext(config);
			setAppContext(ctx);
			attachRealtime(server.httpServer as HttpServer, ctx);
		}
	};
}

export default defineConfig({
	plugins: [sveltekit(), scomoRealtimeDev()],
	test: {
		projects: [
			{
				extends: './vite.config.ts',
				test: {
					name: 'unit',
					include: ['src/**/*.test.ts', 'agent/**/*.test.ts'],
					environment: 'node'
				}
			},
			{
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					testTimeout: 60_000,
					hookTimeout: 60_000,
					// Each file starts real servers and agent processes; two cores, so keep it calm.
					fileParallelism: false
				}
			}
		]
	}
});
