/** Runs the operators' CLI (cli/main.ts) as a child process, as an operator would, without blocking this process's server. */
import { execFile } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export type CliRun = { code: number; stdout: string; stderr: string };

export function scomoCli(args: string[], env: Record<string, string>): Promise<CliRun> {
	return new Promise((resolve) => {
		execFile(
			process.execPath,
			['--import', 'tsx', 'cli/main.ts', ...args],
			{ cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 60_000 },
			(err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr })
		);
	});
}
