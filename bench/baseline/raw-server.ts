/**
 * The raw stack for the baseline, in its own process, driven by the runner over IPC: plain socket.io (same
 * version and transport as the product) and plain better-sqlite3, no application code. Two kinds of figure:
 *
 * - like for like (what the product's figures are compared with): every client authenticates with an
 *   Ed25519 challenge signature; an operation is an operation row inserted, a batch header signed ONCE per
 *   batch with Ed25519 plus a Merkle tree over one leaf per device (the product's signing, envelopes.ts), a
 *   command set of the product's measured size with the device's proof sent with an ack, the progress
 *   messages the product's devices sent (measured, per operation), and a result signed by the device's key,
 *   verified here with Ed25519, persisted with the product's writes per result (read, close, report
 *   sequence, inventory upsert, audit insert) on the product's migrated schema, group-committed (one
 *   transaction per event-loop turn, prepared statements), and acked after the commit;
 * - floor: today's plain broadcast-with-ack of a small payload, nothing persisted or signed.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { Server, type Socket } from 'socket.io';
import { merkleLevels, merkleProof, merkleRootOf } from '../../src/lib/core/merkle';
import { openStore } from '../../src/lib/server/db/open';
import { RawStore } from './raw-store';

export type LikeForLike = { payloadBytes: number; progressPerOp: number; timeoutMs: number };

type Req =
	| { id: number; cmd: 'rss' }
	| { id: number; cmd: 'count' }
	| { id: number; cmd: 'broadcast'; payload: unknown; timeoutMs: number; limit: number }
	| ({ id: number; cmd: 'fanout'; limit: number } & LikeForLike)
	| ({ id: number; cmd: 'sustained'; rate: number; durationMs: number } & LikeForLike)
	| { id: number; cmd: 'exit' };

const httpServer = http.createServer();
const io = new Server(httpServer, { path: '/socket.io', serveClient: false, maxHttpBufferSize: 256 * 1024 });
const dir = mkdtempSync(path.join(tmpdir(), 'scomo-bench-rawserver-'));
const store = openStore(path.join(dir, 'raw.db'));
const raw = new RawStore(store.sqlite);
const maKey = generateKeyPairSync('ed25519').privateKey;

const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) * 1024;
const now = () => performance.timeOrigin + performance.now();
const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());
const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');

/** An authenticated client: its device row and the key its results are verified with. */
type Client = { socket: Socket; deviceId: string; key: KeyObject };
const clients = new Map<string, Client>();

/** Operations awaiting their result: correlator → when it was due and what to call when persisted. */
const open = new Map<string, { dueAt: number; done: (persistedAt: number) => void }>();


io.on('connection', (socket) => {
	// The product's device authentication: a challenge nonce signed with the device's Ed25519 key.
	const nonce = randomBytes(24).toString('base64url');
	socket.emit('auth:challenge', { nonce });
	socket.once('auth:prove', (m: { publicKey: string; signature: string }, ack: (r: unknown) => void) => {
		const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: m.publicKey }, format: 'jwk' });
		if (!verify(null, Buffer.from(nonce), key, Buffer.from(m.signature, 'base64url'))) return ack({ ok: false });
		const deviceId = uuidv7();
		raw.addDevice(deviceId, m.publicKey);
		clients.set(socket.id, { socket, deviceId, key });
		ack({ ok: true, deviceId });
	});
	socket.on('disconnect', () => clients.delete(socket.id));
	socket.on('progress', (_m: unknown, ack?: (r: unknown) => void) => ack?.({ ok: true }));
	socket.on('result', (m: { correlator: string; body: string; signature: string }, ack?: (r: unknown) => void) => {
		const c = clients.get(socket.id);
		if (!c || !verify(null, Buffer.from(m.body), c.key, Buffer.from(m.signature, 'base64url'))) return ack?.({ ok: false });
		const waiting = open.get(m.correlator);
		raw.recordResult(m.correlator, c.deviceId, () => {
			open.delete(m.correlator);
			ack?.({ ok: true });
			waiting?.done(now());
		});
	});
});

/**
 * One batch, as the product creates and relays it: operation rows in one transaction, one header signature
 * and a Merkle tree for the batch, then to each device its command set (padded to the product's measured
 * size) with its leaf and proof, sent with an ack.
 */
function relayBatch(members: { client: Client; dueAt: number }[], o: LikeForLike, onPersisted: (ms: number) => void, onFail: () => void): void {
	const ops = members.map((m) => ({ ...m, correlator: randomBytes(16).toString('base64url') }));
	const batchId = uuidv7();
	raw.insertOperations(batchId, ops.map((x) => ({ correlator: x.correlator, deviceId: x.client.deviceId })));
	const levels = merkleLevels(sha256, ops.map((x) => new TextEncoder().encode(`${x.client.deviceId}\n${x.correlator}`)));
	const header = JSON.stringify({ v: 1, batchId, nonce: randomBytes(18).toString('base64url'), root: b64u(merkleRootOf(levels)), leafCount: ops.length });
	const signature = sign(null, Buffer.from(header), maKey).toString('base64url');
	ops.forEach((x, i) => {
		open.set(x.correlator, { dueAt: x.dueAt, done: (at) => onPersisted(at - x.dueAt) });
		const set = { batchId, header, signature, leaf: { deviceId: x.client.deviceId, correlators: [x.correlator] }, index: i, proof: merkleProof(levels, i).map(b64u), progress: o.progressPerOp, pad: '' };
		const size = JSON.stringify(set).length;
		set.pad = 'x'.repeat(Math.max(0, o.payloadBytes - size - 20));
		x.client.socket
			.timeout(o.timeoutMs)
			.emitWithAck('commands', set)
			.catch(() => onFail());
	});
}

async function handle(req: Req): Promise<unknown> {
	switch (req.cmd) {
		case 'rss':
			return { rss: rss() };
		case 'count':
			return { sockets: io.of('/').sockets.size, authenticated: clients.size };
		case 'broadcast': {
			// The floor: the first `limit` clients, in one room, one small broadcast with ack; nothing else.
			const members = [...io.of('/').sockets.values()].slice(0, req.limit);
			for (const s of members) s.join('fan');
			const count = members.length;
			const t0 = now();
			let replies: unknown[] = [];
			try {
				replies = (await io.to('fan').timeout(req.timeoutMs).emitWithAck('ping:bench', req.payload)) as unknown[];
			} catch (e) {
				return { clients: count, replies: 0, ms: now() - t0, error: String(e) };
			}
			return { clients: count, replies: replies.length, ms: now() - t0 };
		}
		case 'fanout': {
			const members = [...clients.values()].slice(0, req.limit);
			const t0 = now();
			let persisted = 0;
			let failed = 0;
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, req.timeoutMs);
				const settle = () => {
					if (persisted + failed >= members.length) {
						clearTimeout(timer);
						resolve();
					}
				};
				relayBatch(
					members.map((client) => ({ client, dueAt: t0 })),
					req,
					() => {
						persisted++;
						settle();
					},
					() => {
						failed++;
						settle();
					}
				);
			});
			return { clients: members.length, persisted, failed, ms: now() - t0 };
		}
		case 'sustained': {
			// Open loop: every 10 ms, the operations due by then form one batch (as the runner's POSTs do);
			// latency runs from when each was due to when its result was committed and acked.
			const members = [...clients.values()];
			const total = Math.round((req.durationMs / 1000) * req.rate);
			const latencies: number[] = [];
			let failed = 0;
			let sent = 0;
			let next = 0;
			let lastDone = 0;
			const t0 = now();
			await new Promise<void>((resolve) => {
				const finish = () => {
					if (sent >= total && latencies.length + failed >= total) resolve();
				};
				const timer = setInterval(() => {
					const due = Math.min(total, Math.ceil(((now() - t0) / 1000) * req.rate));
					const batch: { client: Client; dueAt: number }[] = [];
					while (sent < due && members.length > 0) {
						batch.push({ client: members[next++ % members.length]!, dueAt: t0 + (sent / req.rate) * 1000 });
						sent++;
					}
					if (batch.length > 0)
						relayBatch(
							batch,
							req,
							(ms) => {
								latencies.push(ms);
								lastDone = now();
								finish();
							},
							() => {
								failed++;
								finish();
							}
						);
					if (sent >= total) clearInterval(timer);
				}, 10);
			});
			return { sent, persisted: latencies.length, failed, elapsedMs: lastDone - t0, latencies };
		}
		case 'exit':
			setImmediate(() => {
				store.close();
				rmSync(dir, { recursive: true, force: true });
				process.exit(0);
			});
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
