/**
 * The raw stack for the baseline: a plain socket.io server (same version and transport as the product, no
 * application code) in its own process, driven by the runner over IPC. It measures what socket.io alone
 * costs for the same client count: memory per connection, broadcast-with-ack to every client, per-client
 * emit-with-ack at a steady rate.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { Server } from 'socket.io';

type Req =
	| { id: number; cmd: 'rss' }
	| { id: number; cmd: 'count' }
	| { id: number; cmd: 'broadcast'; payload: unknown; timeoutMs: number; limit: number }
	| { id: number; cmd: 'sustained'; payload: unknown; rate: number; durationMs: number; timeoutMs: number }
	| { id: number; cmd: 'exit' };

const httpServer = http.createServer();
const io = new Server(httpServer, { path: '/socket.io', serveClient: false, maxHttpBufferSize: 256 * 1024 });

const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) * 1024;
const now = () => performance.timeOrigin + performance.now();

async function handle(req: Req): Promise<unknown> {
	switch (req.cmd) {
		case 'rss':
			return { rss: rss() };
		case 'count':
			return { sockets: io.of('/').sockets.size };
		case 'broadcast': {
			// The first `limit` clients, in one room, as a fan-out of that size.
			const members = [...io.of('/').sockets.values()].slice(0, req.limit);
			for (const s of members) s.join('fan');
			const clients = members.length;
			const t0 = now();
			let replies: unknown[] = [];
			try {
				replies = (await io.to('fan').timeout(req.timeoutMs).emitWithAck('ping:bench', req.payload)) as unknown[];
			} catch (e) {
				return { clients, replies: 0, ms: now() - t0, error: String(e) };
			}
			return { clients, replies: replies.length, ms: now() - t0 };
		}
		case 'sustained': {
			const sockets = [...io.of('/').sockets.values()];
			const latencies: number[] = [];
			let failed = 0;
			let sent = 0;
			const tickMs = 10;
			const total = Math.round((req.durationMs / 1000) * req.rate);
			const t0 = now();
			const inflight: Promise<void>[] = [];
			let next = 0;
			await new Promise<void>((resolve) => {
				const timer = setInterval(() => {
					// Catch up with the schedule: how many should have been sent by now.
					const due = Math.min(total, Math.ceil(((now() - t0) / 1000) * req.rate));
					while (sent < due && sockets.length > 0) {
						const s = sockets[next++ % sockets.length]!;
						const started = now();
						sent++;
						inflight.push(
							s
								.timeout(req.timeoutMs)
								.emitWithAck('op:bench', req.payload)
								.then(
									() => void latencies.push(now() - started),
									() => void failed++
								)
						);
					}
					if (now() - t0 >= req.durationMs) {
						clearInterval(timer);
						resolve();
					}
				}, tickMs);
			});
			await Promise.all(inflight);
			const elapsed = now() - t0;
			return { sent, acked: latencies.length, failed, elapsedMs: elapsed, latencies };
		}
		case 'exit':
			setImmediate(() => process.exit(0));
			return { bye: true };
	}
}

process.on('message', (req: Req) => {
	handle(req).then(
		(value) => process.send!({ id: req.id, ok: true, value }),
		(e: unknown) => process.send!({ id: req.id, ok: false, error: String(e) })
	);
});
process.on('disconnect', () => process.exit(0));

httpServer.listen(0, '127.0.0.1', () => {
	const port = (httpServer.address() as AddressInfo).port;
	process.send!({ id: 0, ok: true, value: { url: `http://localhost:${port}` } });
});
