/**
 * Production entry: `npm start` (after `npm run build`). Parses configuration once, starts the HTTP
 * server with the SvelteKit handler and socket.io, and shuts down cleanly on SIGINT/SIGTERM.
 */
import { parseConfig, ConfigError } from './src/lib/server/config';
import { startServer } from './src/lib/server/start';
import { firstRunLink } from './src/lib/server/auth/first-run';

async function main() {
	let config;
	try {
		config = parseConfig(process.env);
	} catch (e) {
		if (e instanceof ConfigError) {
			console.error(e.message);
			process.exit(78); // EX_CONFIG
		}
		throw e;
	}
	try {
		const server = await startServer(config);
		console.log(`SCOMO Relay is running at ${server.url}`);
		// First run: no MA yet, so print a one-time link that creates one with its first owner (also in setup-link.txt).
		const setupLink = firstRunLink(server.ctx.store.db, server.url, server.ctx.config.dataDir);
		if (setupLink) console.log(`First run: open this one-time setup link to create a Management Authority:\n  ${setupLink}`);
		const stop = async () => {
			await server.close();
			process.exit(0);
		};
		process.once('SIGINT', stop);
		process.once('SIGTERM', stop);
	} catch (e) {
		if (e instanceof ConfigError) {
			console.error(e.message);
			process.exit(78);
		}
		console.error(`SCOMO Relay failed to start: ${(e as Error).message}`);
		process.exit(1);
	}
}

void main();
