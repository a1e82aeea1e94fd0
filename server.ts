/**
 * Production entry: `npm start` (after `npm run build`). Parses configuration once, starts the HTTP
 * server with the SvelteKit handler and socket.io, and shuts down cleanly on SIGINT/SIGTERM.
 */
import { parseConfig, ConfigError } from './src/lib/server/config';
import { startServer } from './src/lib/server/start';
import path from 'node:path';
import { firstRunLink, SETUP_LINK_FILE } from './src/lib/server/auth/first-run';

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
		// First run: no MA yet, so a one-time link creates one with its first owner. It is a credential: always
		// written to the 0600 file, printed only to an interactive terminal (never into captured logs).
		const setupLink = firstRunLink(server.ctx.store.db, server.url, server.ctx.config.dataDir, server.ctx.clock());
		if (setupLink) {
			const file = path.join(server.ctx.config.dataDir, SETUP_LINK_FILE);
			if (process.stdout.isTTY) console.log(`First run: open this one-time setup link to create a Management Authority:\n  ${setupLink}`);
			else console.log(`First run: the one-time setup link to create a Management Authority is in ${file} (printed only on a terminal)`);
		}
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
