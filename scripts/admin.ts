/**
 * Admin CLI for scripted installs and tests: `npm run admin -- <command>`. Same configuration as the
 * server (SCOMO_DATA_DIR, SCOMO_DATABASE_URL); safe to run while the server runs (SQLite WAL).
 * Every command prints one JSON line on stdout; errors go to stderr with a non-zero exit code.
 */
import { Command, InvalidArgumentError } from 'commander';
import { parseConfig, ConfigError } from '../src/lib/server/config';
import { createApp } from '../src/lib/server/create-app';
import { createLogger } from '../src/lib/server/logger';
import { createApiToken, listApiTokens, revokeApiToken } from '../src/lib/server/auth/api-tokens';
import { CONSENT_MODES, type ConsentMode } from '../src/lib/core';
import { migrateStore } from '../src/lib/server/db/migrate-store';
import { existsSync } from 'node:fs';

const SYSTEM = { type: 'system', id: 'admin-cli' } as const;

function context() {
	const config = parseConfig(process.env);
	return createApp(config, { log: createLogger('silent') });
}

function out(value: unknown): void {
	process.stdout.write(`${JSON.stringify(value)}\n`);
}

function die(message: string, code = 1): never {
	process.stderr.write(`${message}\n`);
	process.exit(code);
}

function withContext<T>(fn: (ctx: ReturnType<typeof context>) => T): T {
	const ctx = context();
	try {
		return fn(ctx);
	} finally {
		ctx.store.close();
	}
}

const scope = (v: string) => {
	if (v !== 'read' && v !== 'operate') throw new InvalidArgumentError('scope is read or operate');
	return v;
};
const modes = (v: string): ConsentMode[] => {
	const list = v.split(',').map((s) => s.trim());
	for (const m of list) if (!(CONSENT_MODES as readonly string[]).includes(m)) throw new InvalidArgumentError(`unknown consent mode ${m}`);
	return list as ConsentMode[];
};
const bool = (v: string) => {
	if (v !== 'true' && v !== 'false') throw new InvalidArgumentError('true or false');
	return v === 'true';
};

const program = new Command()
	.name('admin')
	.description('SCOMO Relay administration (MAs and API tokens)')
	.showHelpAfterError();

program
	.command('create-ma')
	.description('create a Management Authority and an operate API token for it')
	.requiredOption('--name <name>', 'display name')
	.option('--token-name <name>', 'name of the first API token', 'admin-cli')
	.action((o: { name: string; tokenName: string }) =>
		withContext((ctx) => {
			const r = ctx.services.mas.create(o.name, SYSTEM);
			if (!r.ok) die(r.error.message);
			const t = createApiToken(ctx.store.db, { maId: r.value.maId, scope: 'operate', name: o.tokenName }, Date.now());
			out({ maId: r.value.maId, name: r.value.name, token: t.token, tokenId: t.tokenId });
		})
	);

program
	.command('create-token')
	.description('create an API token for an MA')
	.requiredOption('--ma <maId>', 'MA id')
	.requiredOption('--scope <scope>', 'read or operate', scope)
	.option('--name <name>', 'token name', 'cli')
	.action((o: { ma: string; scope: 'read' | 'operate'; name: string }) =>
		withContext((ctx) => {
			if (!ctx.services.mas.get(o.ma)) die(`no MA ${o.ma}`);
			const t = createApiToken(ctx.store.db, { maId: o.ma, scope: o.scope, name: o.name }, Date.now());
			out({ tokenId: t.tokenId, token: t.token });
		})
	);

program
	.command('revoke-token')
	.requiredOption('--ma <maId>', 'MA id')
	.requiredOption('--token-id <id>', 'token id')
	.action((o: { ma: string; tokenId: string }) =>
		withContext((ctx) => {
			if (!revokeApiToken(ctx.store.db, o.ma, o.tokenId, Date.now())) die('no such token for this MA');
			out({ revoked: o.tokenId });
		})
	);

program
	.command('list-tokens')
	.requiredOption('--ma <maId>', 'MA id')
	.action((o: { ma: string }) => withContext((ctx) => out({ items: listApiTokens(ctx.store.db, o.ma) })));

program
	.command('list-mas')
	.action(() => withContext((ctx) => out({ items: ctx.services.mas.list() })));

program
	.command('set-settings')
	.description("change an MA's settings")
	.requiredOption('--ma <maId>', 'MA id')
	.option('--consent-modes <list>', 'allowed consent modes, e.g. notify,confirm', modes)
	.option('--auto-approve <bool>', 'approve device requests automatically (true/false)', bool)
	.action((o: { ma: string; consentModes?: ConsentMode[]; autoApprove?: boolean }) =>
		withContext((ctx) => {
			const r = ctx.services.mas.updateSettings(o.ma, SYSTEM, {
				...(o.consentModes ? { allowedConsentModes: o.consentModes } : {}),
				...(o.autoApprove !== undefined ? { autoApproveDeviceRequests: o.autoApprove } : {})
			});
			if (!r.ok) die(r.error.message);
			out({ maId: o.ma, settings: r.value });
		})
	);

program
	.command('migrate-store')
	.description('copy a SQLite store into an empty PostgreSQL database and verify row counts and checksums')
	.requiredOption('--from <url>', 'the SQLite store, sqlite:<file>')
	.requiredOption('--to <url>', 'the PostgreSQL database, postgres://...')
	.action(async (o: { from: string; to: string }) => {
		if (!o.from.startsWith('sqlite:')) die('--from must be sqlite:<file>', 64);
		if (!/^postgres(ql)?:\/\//.test(o.to)) die('--to must be a postgres:// URL', 64);
		const file = o.from.slice('sqlite:'.length);
		if (!existsSync(file)) die(`no SQLite store at ${file}`, 66);
		let r: Awaited<ReturnType<typeof migrateStore>>;
		try {
			r = await migrateStore(file, o.to);
		} catch (e) {
			die(`PostgreSQL at ${redactUrl(o.to)}: ${(e as Error).message}`, 69);
		}
		if (!r.ok) {
			process.stderr.write(`${JSON.stringify(r.error)}\n`);
			die(r.error.message);
		}
		out(r.report);
	});

/** A database URL without its password, for messages. */
function redactUrl(url: string): string {
	try {
		const u = new URL(url);
		if (u.password) u.password = '***';
		return u.toString();
	} catch {
		return 'the given URL';
	}
}

try {
	await program.parseAsync();
} catch (e) {
	if (e instanceof ConfigError) die(e.message, 78);
	throw e;
}
