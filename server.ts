/**
 * Production entry: `npm start` (after `npm run build`). Parses configuration once, starts the HTTP
 * server with the SvelteKit handler and socket.io, and shuts down cleanly on SIGINT/SIGTERM.
 */
import { parseConfig, ConfigError } from './src/lib/server/config';
import { startServer } from './src/lib/server/start';

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
