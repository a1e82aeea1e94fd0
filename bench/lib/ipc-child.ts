/**
 * A forked helper process (simulator, raw baseline server) spoken to over IPC: requests carry an id, the
 * child answers { id, ok, value | error }; id 0 is its "ready" message.
 */
import { fork, type ChildProcess } from 'node:child_process';

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export class IpcChild<Req extends { cmd: string }> {
	private nextId = 1;
	private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
	readonly ready: Promise<unknown>;
	exited = false;

	constructor(
		readonly name: string,
		readonly child: ChildProcess
	) {
		let markReady: (v: unknown) => void = () => {};
		let failReady: (e: Error) => void = () => {};
		this.ready = new Promise((resolve, reject) => {
			markReady = resolve;
			failReady = reject;
		});
		child.on('message', (m: Reply) => {
			if (m.id === 0) return m.ok ? markReady(m.value) : failReady(new Error(m.error));
			const w = this.waiting.get(m.id);
			if (!w) return;
			this.waiting.delete(m.id);
			if (m.ok) w.resolve(m.value);
			else w.reject(new Error(`${name}: ${m.error}`));
		});
		child.on('exit', (code, signal) => {
			this.exited = true;
			const e = new Error(`${name} exited (${code ?? signal})`);
			failReady(e);
			for (const w of this.waiting.values()) w.reject(e);
			this.waiting.clear();
		});
	}

	static fork<R extends { cmd: string }>(name: string, script: string, execArgv: string[] = []): IpcChild<R> {
		const child = fork(script, [], {
			execArgv: ['--import', 'tsx', ...execArgv],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
			env: { ...process.env, NODE_OPTIONS: '' }
		});
		return new IpcChild<R>(name, child);
	}

	request<T>(req: Req, timeoutMs = 120_000): Promise<T> {
		if (this.exited) return Promise.reject(new Error(`${this.name} has exited`));
		const id = this.nextId++;
		return new Promise<T>((resolve, reject) => {
			const timer = setTimeout(() => {
				this.waiting.delete(id);
				reject(new Error(`${this.name}: ${req.cmd} timed out after ${timeoutMs} ms`));
			}, timeoutMs);
			this.waiting.set(id, {
				resolve: (v) => {
					clearTimeout(timer);
					resolve(v as T);
				},
				reject: (e) => {
					clearTimeout(timer);
					reject(e);
				}
			});
			this.child.send({ ...req, id });
		});
	}

	/** Asks the child to exit; kills it if it has not after `graceMs`. */
	async stop(graceMs = 10_000): Promise<void> {
		if (this.exited) return;
		const gone = new Promise<void>((r) => this.child.once('exit', () => r()));
		this.request({ cmd: 'exit' } as Req, 5_000).catch(() => {});
		const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
		await gone;
		clearTimeout(timer);
	}
}
