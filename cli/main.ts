/**
 * The operators' CLI over the MA REST API: `npm run scomo -- <resource> <command> [options]`.
 *
 *   SCOMO_URL=https://relay.example SCOMO_TOKEN=... npm run scomo -- devices list --filter "tag == lobby"
 *
 * It authenticates with an API token (`--token` or SCOMO_TOKEN) against a server (`--url` or SCOMO_URL) and
 * can do only what the token's scope allows. Output is a table for people, or JSON with --json. An error
 * from the API prints `error <code>: <message>` on stderr and exits 1 (2 for a usage error).
 */
import { Command, CommanderError } from 'commander';
import { ApiFailure, RestClient } from './client';
import { printer } from './output';
import type { CliContext } from './context';
import { RESOURCES } from './resources';

type Globals = { url?: string; token?: string; json?: boolean };

export function buildProgram(env: NodeJS.ProcessEnv): Command {
	const program = new Command()
		.name('scomo')
		.description('SCOMO Relay for operators, over the REST API')
		.option('--url <url>', 'the server, e.g. https://relay.example (default: SCOMO_URL)')
		.option('--token <token>', 'an API token (default: SCOMO_TOKEN)')
		.option('--json', 'print JSON instead of tables')
		.showHelpAfterError()
		.exitOverride();
	const ctx = (cmd: Command): CliContext => {
		const g = cmd.optsWithGlobals<Globals>();
		const url = g.url ?? env.SCOMO_URL;
		const token = g.token ?? env.SCOMO_TOKEN;
		if (!url) throw new ApiFailure(0, 'usage', 'no server: pass --url or set SCOMO_URL');
		if (!token) throw new ApiFailure(0, 'usage', 'no API token: pass --token or set SCOMO_TOKEN');
		return { api: new RestClient(url, token), out: printer(!!g.json) };
	};
	for (const add of RESOURCES) add(program, ctx);
	for (const c of program.commands) c.exitOverride().showHelpAfterError();
	return program;
}

export async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
	const program = buildProgram(env);
	try {
		await program.parseAsync(argv, { from: 'user' });
		return 0;
	} catch (e) {
		if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
		if (e instanceof ApiFailure) {
			const where = e.position === undefined ? '' : ` (at character ${e.position + 1})`;
			process.stderr.write(`error ${e.code}: ${e.message}${where}\n`);
			return e.code === 'usage' ? 2 : 1;
		}
		process.stderr.write(`error: ${(e as Error).message}\n`);
		return 1;
	}
}

process.exitCode = await run(process.argv.slice(2), process.env);
