/**
 * Issue a one-time setup link (scripted installs, tests): opening it creates one new Management
 * Authority with its first owner, who registers a passkey. Works whether or not MAs exist already, so
 * only whoever can run commands on the server (and read its data directory) can create MAs.
 *
 *   npm run setup-link              prints the link
 *   npm run setup-link -- --json    prints {"link","path","expiresAt"} on one line
 *
 * Uses the server's configuration (SCOMO_DATA_DIR, SCOMO_ORIGIN or SCOMO_PORT, ...).
 */
import { parseConfig, ConfigError, ensureDataDir, sqlitePath } from '../src/lib/server/config';
import { openStore } from '../src/lib/server/db/open';
import { issueSetupToken, setupPath, SETUP_TOKEN_TTL_MS } from '../src/lib/server/auth/first-run';

function main(): number {
	const json = process.argv.includes('--json');
	const hoursArg = process.argv.find((a) => a.startsWith('--hours='));
	const hours = hoursArg ? Number(hoursArg.slice('--hours='.length)) : SETUP_TOKEN_TTL_MS / 3600_000;
	if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 30) {
		console.error('--hours must be a number of hours between 0 and 720');
		return 64;
	}
	let config;
	try {
		config = parseConfig(process.env);
	} catch (e) {
		if (e instanceof ConfigError) {
			console.error(e.message);
			return 78;
		}
		throw e;
	}
	ensureDataDir(config.dataDir);
	const store = openStore(sqlitePath(config.databaseUrl));
	try {
		const { token, expiresAt } = issueSetupToken(store.db, Date.now(), hours * 3600_000);
		const path = setupPath(token);
		const link = `${config.origin}${path}`;
		if (json) console.log(JSON.stringify({ link, path, expiresAt }));
		else console.log(`One-time setup link (valid until ${new Date(expiresAt).toISOString()}):\n  ${link}`);
		return 0;
	} finally {
		store.close();
	}
}

process.exitCode = main();
