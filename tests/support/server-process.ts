/**
 * Runs the real product as a child process (`node --import tsx server.ts`) on a free port with its own
 * data directory, so tests can kill and restart it like an operator would.
 */
import { PATIENCE_MS } from './patience';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { tempDir, track } from './cleanup';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

export type ServerProcess = {
	url: string;
	dataDir: string;
	child: ChildProcess;
	output: () => string;
	/** Resolves once the output (so far or later) matches: the server's own signal, no polling. */
	waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
	kill(signal?: NodeJS.Signals): Promise<number | null>;
};

export { tempDir } from './cleanup';

/** Start server.ts and resolve once it prints its URL; reject with its output if it exits first. */
export function startServerProcess(
	opts: { dataDir?: string; env?: Record<string, string> } = {}
): Promise<ServerProcess> {
	const dataDir = opts.dataDir ?? tempDir();
	const child = track(spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
		cwd: PROJECT_ROOT,
		env: {
			PATH: process.env.PATH ?? '',
			SCOMO_PORT: '0',
			SCOMO_DATA_DIR: dataDir,
			SCOMO_LOG_LEVEL: 'warn',
			...opts.env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	}));
	let out = '';
	child.stdout!.on('data', (d) => (out += d));
	child.stderr!.on('data', (d) => (out += d));
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`server did not start within ${PATIENCE_MS} ms:\n${out}`)), PATIENCE_MS);
		const onData = () => {
			const m = /running at (http:\/\/\S+)/.exec(out);
			if (!m) return;
			clearTimeout(timer);
			child.stdout!.off('data', onData);
			resolve({
				url: m[1]!,
				dataDir,
				child,
				output: () => out,
				waitForOutput: (pattern, timeoutMs = PATIENCE_MS) =>
					new Promise((resolveOut, rejectOut) => {
						const check = () => {
							const found = pattern.exec(out);
							if (!found) return false;
							done();
							resolveOut(found);
							return true;
						};
						const onExit = (code: number | null) => {
							done();
							rejectOut(new Error(`server exited with ${code} before printing ${pattern}:\n${out}`));
						};
						const timer = setTimeout(() => {
							done();
							rejectOut(new Error(`server printed no ${pattern} within ${timeoutMs} ms:\n${out}`));
						}, timeoutMs);
						const onOut = () => void check();
						const done = () => {
							clearTimeout(timer);
							child.stdout!.off('data', onOut);
							child.stderr!.off('data', onOut);
							child.off('exit', onExit);
						};
						// Registered after the collectors above, so `out` already holds the new chunk.
						child.stdout!.on('data', onOut);
						child.stderr!.on('data', onOut);
						child.once('exit', onExit);
						check();
					}),
				async kill(signal = 'SIGTERM') {
					if (child.exitCode === null && child.signalCode === null) child.kill(signal);
					return exited;
				}
			});
		};
		child.stdout!.on('data', onData);
		void exited.then((code) => {
			clearTimeout(timer);
			reject(Object.assign(new Error(`server exited with ${code}:\n${out}`), { code, out }));
		});
	});
}
