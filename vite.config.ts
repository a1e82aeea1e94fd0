import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import type { Server as HttpServer } from 'node:http';

/**
 * In development, build the app on Vite's dev server (socket.io included, as start.ts does in production)
 * and hand it to every request through a middleware that runs before SvelteKit's (src/lib/server/app-request.ts).
 * Imported lazily so `vite build` never opens the database.
 */
function scomoRealtimeDev(): Plugin {
	return {
		name: 'scomo-realtime-dev',
		apply: 'serve',
		async configureServer(server) {
			if (!server.httpServer) return;
			const port = server.config.server.port ?? 5173;
			const { startDev } = (await server.ssrLoadModule('/src/lib/server/dev-entry.ts')) as typeof import('./src/lib/server/dev-entry');
			server.middlewares.use(startDev(server.httpServer as HttpServer, port, process.env));
		}
	};
}

/**
 * The device PWA: installable, precached app shell (workbox generateSW), opens offline. The device pages
 * are prerendered client-side shells, so the service worker can serve them with no server at all.
 */
const devicePwa = SvelteKitPWA({
	strategies: 'generateSW',
	registerType: 'prompt',
	injectRegister: false,
	scope: '/',
	base: '/',
	manifest: {
		id: '/device',
		name: 'SCOMO Relay Device',
		short_name: 'SCOMO Device',
		description: 'Approve what Management Authorities do on this device and run your components.',
		start_url: '/device',
		scope: '/device',
		display: 'standalone',
		background_color: '#f5f7fa',
		theme_color: '#0f3d5e',
		icons: [
			{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
			{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
			{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' }
		]
	},
	workbox: {
		globPatterns: ['client/**/*.{js,css,ico,png,svg,webmanifest}', 'prerendered/**/*.html'],
		// Offline, any navigation inside the device app gets the prerendered shell; admin pages never do.
		navigateFallback: '/device',
		navigateFallbackAllowlist: [/^\/device(\/|$)/],
		navigateFallbackDenylist: [/^\/api\//, /^\/socket\.io\//],
		cleanupOutdatedCaches: true
	},
	kit: { includeVersionFile: true }
});

export default defineConfig({
	plugins: [sveltekit(), devicePwa, scomoRealtimeDev()],
	test: {
		projects: [
			{
				extends: './vite.config.ts',
				test: {
					name: 'unit',
					include: ['src/**/*.test.ts', 'agent/**/*.test.ts'],
					environment: 'node',
					setupFiles: ['tests/support/cleanup-setup.ts']
				}
			},
			{
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					setupFiles: ['tests/support/cleanup-setup.ts'],
					// PostgreSQL found or started once per run (a fresh database per test file or run on it).
					globalSetup: ['tests/support/postgres-global-setup.ts'],
					// Bounds, not expectations: they only catch a hang. A test that starts server processes (tsx compiles
					// server.ts at each start), restarts them and enrolls agents takes ~15 s alone and past 60 s on two
					// cores shared with two other builds (seen: operation-loop-faults at 60 s in two CI runs at once).
					testTimeout: 180_000,
					// A file's beforeAll starts a server, runs the admin CLI and starts and enrolls an agent.
					hookTimeout: 180_000,
					// Each file starts real servers and agent processes; two cores, so keep it calm.
					fileParallelism: false
				}
			}
		]
	}
});
