/** Runs the admin CLI (scripts/admin.ts) against a data directory, as an operator would. */
import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '../..');

export function adminCli<T = Record<string, unknown>>(dataDir: string, args: string[]): T {
	const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
		cwd: ROOT,
		env: { PATH: process.env.PATH ?? '', SCOMO_DATA_DIR: dataDir, SCOMO_LOG_LEVEL: 'silent' },
		encoding: 'utf8'
	});
	const line = out.trim().split('\n').pop() ?? '';
	return JSON.parse(line) as T;
}

/**
 * The same, without blocking this process: use it while an in-process server is serving. A synchronous
 * child freezes that server for seconds on a busy machine, and a pooled keep-alive connection then meets a
 * server that closed it (ECONNRESET on the next request).
 */
export async function adminCliAsync<T = Record<string, unknown>>(dataDir: string, args: string[]): Promise<T> {
	const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
		cwd: ROOT,
		env: { PATH: process.env.PATH ?? '', SCOMO_DATA_DIR: dataDir, SCOMO_LOG_LEVEL: 'silent' },
		encoding: 'utf8'
	});
	const line = stdout.trim().split('\n').pop() ?? '';
	return JSON.parse(line) as T;
}

export type CreatedMa = { maId: string; name: string; token: string; tokenId: string };

export const createMa = (dataDir: string, name: string) => adminCli<CreatedMa>(dataDir, ['create-ma', '--name', name]);

export const createToken = (dataDir: string, maId: string, scope: 'read' | 'operate', name = 'test') =>
	adminCli<{ tokenId: string; token: string }>(dataDir, ['create-token', '--ma', maId, '--scope', scope, '--name', name]);

export const createTokenAsync = (dataDir: string, maId: string, scope: 'read' | 'operate', name = 'test') =>
	adminCliAsync<{ tokenId: string; token: string }>(dataDir, ['create-token', '--ma', maId, '--scope', scope, '--name', name]);

export const setSettings = (dataDir: string, maId: string, opts: { consentModes?: string[]; autoApprove?: boolean }) =>
	adminCli(dataDir, [
		'set-settings',
		'--ma',
		maId,
		...(opts.consentModes ? ['--consent-modes', opts.consentModes.join(',')] : []),
		...(opts.autoApprove !== undefined ? ['--auto-approve', String(opts.autoApprove)] : [])
	]);
