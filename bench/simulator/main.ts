/**
 * A simulator process: many devices in one Node process, driven by the runner over IPC (child_process.fork).
 * One process holds at most ~19k sockets (file-descriptor limit), so the runner starts several, each bound to
 * its own loopback source address (127.0.0.2, 127.0.0.3, ...). Loopback only, by construction: the runner
 * refuses any other address and the server URL is always http://localhost:<port>.
 *
 * Two kinds of clients:
 * - product devices: the real device runtime per device (runtime-device.ts), or the lean protocol device with
 *   the runtime's command verification (lean-device.ts);
 * - raw clients for the baseline: plain socket.io clients that ack every message, nothing else.
 */
import { io, type Socket } from 'socket.io-client';
import { RuntimeSimDevice, type SeedComponent, type SimDevice } from './runtime-device';
import { LeanSimDevice } from './lean-device';
import { Recorder, wallNow } from './record';
import type { SimReply, SimRequest } from './protocol';
import { installWireTap } from './wire-tap';
import { answerLikeTheProduct } from './raw-client';

installWireTap();

const recorder = new Recorder();
let devices: SimDevice[] = [];
let rawClients: Socket[] = [];
let serverUrl = '';
let localAddress: string | undefined;
let seed: SeedComponent | null = null;
let kind: 'runtime' | 'lean' = 'runtime';
let watched: Set<string> | null = null;

function assertLoopback(addr: string | undefined): void {
	if (addr !== undefined && !/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(addr)) throw new Error(`refusing non-loopback address ${addr}`);
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const i = next++;
			await fn(items[i]!, i);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts devices in waves (`perWave` every `waveMs`; perWave ≥ count = all at once) and waits until all are online. */
async function connectAll(list: SimDevice[], perWave: number, waveMs: number, timeoutMs: number) {
	recorder.connectMs = [];
	const t0 = wallNow();
	let online = 0;
	const done = new Promise<void>((resolve) => {
		if (list.length === 0) resolve();
		const timer = setTimeout(resolve, timeoutMs);
		for (let i = 0; i < list.length; i += perWave) {
			const wave = list.slice(i, i + perWave);
			setTimeout(
				() => {
					for (const d of wave) {
						const started = wallNow();
						d.start(() => {
							recorder.connectMs.push(wallNow() - started);
							if (++online === list.length) {
								clearTimeout(timer);
								resolve();
							}
						}).catch((e: unknown) => recorder.error(`start: ${String(e)}`));
					}
				},
				(i / perWave) * waveMs
			);
		}
	});
	await done;
	return { online, total: list.length, ms: wallNow() - t0, connectMs: recorder.connectMs };
}

async function handle(req: SimRequest): Promise<unknown> {
	switch (req.cmd) {
		case 'init': {
			assertLoopback(req.localAddress);
			serverUrl = req.serverUrl;
			if (!/^http:\/\/localhost:\d+$/.test(serverUrl)) throw new Error(`refusing server URL ${serverUrl}: loopback only`);
			localAddress = req.localAddress;
			seed = req.seed;
			kind = req.device;
			return { pid: process.pid };
		}
		case 'enroll': {
			const created: string[] = [];
			const Kind = kind === 'lean' ? LeanSimDevice : RuntimeSimDevice;
			const made: SimDevice[] = req.codes.map(() => new Kind({ serverUrl, localAddress, seed: seed!, recorder }));
			let done = 0;
			const ticker = process.env.BENCH_DEBUG
				? setInterval(() => process.stderr.write(`sim ${process.pid}: ${done}/${req.codes.length} enrolled\n`), 5000)
				: null;
			try {
				await pool(req.codes, req.concurrency, async (code, i) => {
					await made[i]!.enroll(code);
					done++;
				});
			} finally {
				if (ticker) clearInterval(ticker);
			}
			for (const d of made) created.push(d.deviceId!);
			devices.push(...made);
			return { deviceIds: created };
		}
		case 'connect':
			return connectAll(devices, req.perWave, req.waveMs, req.timeoutMs);
		case 'disconnect': {
			await Promise.all(devices.map((d) => d.stop()));
			return { offline: devices.filter((d) => !d.online).length };
		}
		case 'running':
			return { running: devices.filter((d) => d.componentRunning).map((d) => d.deviceId!) };
		case 'online':
			return { online: devices.filter((d) => d.online).length, total: devices.length };
		case 'take':
			watched = null;
			return recorder.take();
		case 'watch':
			// The correlators the runner waits for (operations of failed requests may run too and must not count).
			watched = new Set(req.correlators);
			return { watching: watched.size };
		case 'progress': {
			// Cheap polling while a scenario runs: how many watched correlators (or any) have an acked result.
			let acked = 0;
			if (watched) {
				for (const c of watched) if (recorder.ops.get(c)?.ackedAt != null) acked++;
			} else for (const r of recorder.ops.values()) if (r.ackedAt !== null) acked++;
			return { acked, seen: recorder.ops.size, errors: recorder.errors.length };
		}
		case 'raw-connect': {
			assertLoopback(req.localAddress ?? localAddress);
			const url = req.url;
			if (!/^http:\/\/localhost:\d+$/.test(url)) throw new Error(`refusing raw URL ${url}: loopback only`);
			const latencies: number[] = [];
			const t0 = wallNow();
			const make = () =>
				new Promise<void>((resolve) => {
					const started = wallNow();
					const s = io(url, {
						transports: ['websocket'],
						reconnection: false,
						forceNew: true,
						...(localAddress ? { localAddress } : {})
					} as Parameters<typeof io>[1]);
					const timer = setTimeout(() => resolve(), req.timeoutMs);
					answerLikeTheProduct(s, () => {
						latencies.push(wallNow() - started);
						clearTimeout(timer);
						resolve();
					});
					s.once('connect_error', (e) => {
						recorder.error(`raw connect: ${e.message}`);
						clearTimeout(timer);
						resolve();
					});
					rawClients.push(s);
				});
			const waves: Promise<void>[] = [];
			for (let i = 0; i < req.n; i += req.perWave) {
				const count = Math.min(req.perWave, req.n - i);
				if (i > 0 && req.waveMs > 0) await sleep(req.waveMs);
				for (let k = 0; k < count; k++) waves.push(make());
			}
			await Promise.all(waves);
			return { connected: latencies.length, ms: wallNow() - t0, connectMs: latencies };
		}
		case 'raw-close': {
			for (const s of rawClients) s.close();
			rawClients = [];
			return { closed: true };
		}
		case 'exit':
			setImmediate(() => process.exit(0));
			return { bye: true };
	}
}

process.on('message', (msg: SimRequest & { id: number }) => {
	if (process.env.BENCH_DEBUG) process.stderr.write(`sim ${process.pid}: ${msg.cmd}\n`);
	handle(msg).then(
		(value) => process.send!({ id: msg.id, ok: true, value } satisfies SimReply),
		(e: unknown) => process.send!({ id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) } satisfies SimReply)
	);
});
// The runner died: never linger holding thousands of sockets.
process.on('disconnect', () => process.exit(0));
process.send?.({ id: 0, ok: true, value: 'ready' } satisfies SimReply);
