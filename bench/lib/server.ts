/**
 * The real product server as a child process (`node --import tsx server.ts`, exactly what `npm start`
 * runs) on a free port of localhost, with the bench's own data directory; optionally under --cpu-prof.
 * Its resident memory is read from /proc, so the per-device figure is the server's alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

export type BenchServer = {
	url: string;
	port: number;
	pid: number;
	child: ChildProcess;
	output(): string;
	stop(): Promise<void>;
};

export function startBenchServer(opts: { dataDir: string; port?: number; logLevel?: string; profileDir?: string }): Promise<BenchServer> {
	const child = spawn(
		process.execPath,
		[...(opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : []), '--import', 'tsx', 'server.ts'],
		{
			cwd: PROJECT_ROOT,
			env: {
				PATH: process.env.PATH ?? '',
				SCOMO_PORT: String(opts.port ?? 0),
				SCOMO_HOST: '127.0.0.1',
				SCOMO_DATA_DIR: opts.dataDir,
				SCOMO_LOG_LEVEL: opts.logLevel ?? 'warn'
			},
			stdio: ['ignore', 'pipe', 'pipe']
		}
	);
	let out = '';
	const keep = (d: Buffer) => {
		out += d.toString();
		if (out.length > 200_000) out = out.slice(-100_000);
	};
	child.stdout!.on('data', keep);
	child.stderr!.on('data', keep);
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${out}`)), 60_000);
		const onData = () => {
			const m = /running at (http:\/\/localhost:(\d+))/.exec(out);
			if (!m) return;
			clearTimeout(timer);
			child.stdout!.off('data', onData);
			resolve({
				url: m[1]!,
				port: Number(m[2]),
				pid: child.pid!,
				child,
				output: () => out,
				async stop() {
					if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
					const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
					await exited;
					clearTimeout(t);
				}
			});
		};
		child.stdout!.on('data', onData);
		void exited.then((code) => {
			clearTimeout(timer);
			reject(new Error(`server exited with ${code}:\n${out}`));
		});
	});
}

/** Resident set size of a process in bytes (Linux /proc). */
export function rssOf(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
	return m ? Number(m[1]) * 1024 : NaN;
}

/** The soft limit of open files a child process gets (the server's socket ceiling). */
export function openFileLimit(): number {
	try {
		const limits = readFileSync('/proc/self/limits', 'utf8');
		const m = /Max open files\s+(\d+)/.exec(limits);
		return m ? Number(m[1]) : Infinity;
	} catch {
		return Infinity;
	}
}

/** CPU seconds (user + system) a process has used so far (Linux /proc, clock ticks of 1/100 s). */
export function cpuSecondsOf(pid: number): number {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// Fields after the command name (which may contain spaces) start after the last ')'.
		const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return (Number(f[11]) + Number(f[12])) / 100;
	} catch {
		return NaN;
	}
}
