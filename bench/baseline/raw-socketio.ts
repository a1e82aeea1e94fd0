/**
 * The raw baseline, run in the same bench with the same simulator processes, source addresses and client
 * count as the product: the raw server (raw-server.ts) and raw clients (simulator/raw-client.ts).
 * Like for like with the product's figures: Ed25519-authenticated connections (RSS per connection, connect
 * p95), a fan-out and a sustained run where each operation is persisted, signed per batch, sent at the
 * product's measured command-set size with its measured progress messages, answered with a signed result
 * that is verified and group-committed (the wire counts come from the product's run, BenchContext.wire),
 * and a reconnect storm with authentication. Floor: a plain broadcast with ack of a small payload. The raw
 * server's CPU is read from /proc around each phase.
 */
import path from 'node:path';
import { IpcChild } from '../lib/ipc-child';
import type { WirePerOp } from '../lib/context';
import { cpuSecondsOf } from '../lib/server';
import type { Simulator } from '../lib/sim-pool';
import type { RawConnectReport } from '../simulator/protocol';
import { percentile, round, sleep, summarize } from '../lib/stats';
import type { LikeForLike } from './raw-server';

type RawReq =
	| { cmd: 'rss' }
	| { cmd: 'count' }
	| { cmd: 'broadcast'; payload: unknown; timeoutMs: number; limit: number }
	| ({ cmd: 'fanout'; limit: number } & LikeForLike)
	| ({ cmd: 'sustained'; rate: number; durationMs: number } & LikeForLike)
	| { cmd: 'exit' };

const RAW_SERVER = path.resolve(import.meta.dirname, 'raw-server.ts');

/** The floor's payload: about the size of an unsigned Start command set. */
const FLOOR_PAYLOAD = {
	batchId: '019ab9c0-0000-7000-8000-000000000000',
	maId: '019ab9c0-0000-7000-8000-000000000001',
	maName: 'Bench MA',
	consentMode: 'silent',
	intent: 'bench fan-out',
	issuedAt: 1764100000000,
	expiresAt: 1764704800000,
	operations: [{ correlator: 'AAAAAAAAAAAAAAAAAAAAAA', kind: 'Start', componentId: 'org.scomorelay.bench.clicker', version: null, package: null }]
};

/** When the product's scenario did not run (so nothing was measured): a signed Start set and one progress. */
const FALLBACK: WirePerOp = { ops: 0, commandSetBytes: 2300, received: {}, sent: { progress: 1, result: 1 } };

const likeForLike = (w: WirePerOp | undefined): LikeForLike => {
	const m = w && w.ops > 0 ? w : FALLBACK;
	return { payloadBytes: m.commandSetBytes, progressPerOp: m.sent.progress ?? 0, timeoutMs: 120_000 };
};

export type RawFigure = { value: number; what: string };
export type RawFigures = Record<string, RawFigure>;

export async function runRawSocketIo(
	sims: readonly Simulator[],
	perSim: readonly number[],
	o: { fanout: number; rate: number; durationS: number; storm: boolean; wire: Record<string, WirePerOp> }
): Promise<{ figures: RawFigures; details: Record<string, unknown> }> {
	const server = IpcChild.fork<RawReq>('raw socket.io server', RAW_SERVER, ['--max-old-space-size=4096']);
	try {
		const { url } = (await server.ready) as { url: string };
		const pid = server.child.pid!;
		const cpuPer = (from: number, n: number) => round(((cpuSecondsOf(pid) - from) * 1000) / Math.max(1, n), 3);
		await sleep(1000);
		const before = (await server.request<{ rss: number }>({ cmd: 'rss' })).rss;
		const connect = async (perWave: number, waveMs: number) => {
			const reports = await Promise.all(
				sims.map((s, i) => s.request<RawConnectReport>({ cmd: 'raw-connect', url, n: perSim[i]!, perWave, waveMs, timeoutMs: 60_000 }, 180_000))
			);
			return { connected: reports.reduce((a, r) => a + r.connected, 0), connectMs: reports.flatMap((r) => r.connectMs), ms: Math.max(...reports.map((r) => r.ms)) };
		};
		const total = perSim.reduce((a, b) => a + b, 0);
		let cpu0 = cpuSecondsOf(pid);
		const c = await connect(250, 50);
		const connectCpu = cpuPer(cpu0, c.connected);
		await sleep(2000);
		const after = (await server.request<{ rss: number }>({ cmd: 'rss' })).rss;
		const figures: RawFigures = {};
		const details: Record<string, unknown> = { clients: total, connected: c.connected, rssBeforeMb: round(before / 2 ** 20), rssAfterMb: round(after / 2 ** 20) };
		figures['fleet.memoryPerDeviceKb'] = { value: round((after - before) / Math.max(1, c.connected) / 1024), what: 'plain socket.io server, per authenticated connection' };
		figures['fleet.held'] = { value: c.connected, what: 'plain socket.io clients, Ed25519-authenticated' };
		figures['fleet.connectP95Ms'] = { value: round(percentile(c.connectMs, 95)), what: 'plain connect + Ed25519 challenge' };
		figures['fleet.serverCpuMsPerOp'] = { value: connectCpu, what: 'plain connect + Ed25519 challenge' };

		// Floor first (cheap, nothing persisted), then the like-for-like fan-out.
		const b = await server.request<{ clients: number; replies: number; ms: number }>({ cmd: 'broadcast', payload: FLOOR_PAYLOAD, timeoutMs: 60_000, limit: o.fanout }, 90_000);
		details.floorBroadcast = b;
		figures['fanout.deliveredMs'] = { value: round(b.ms), what: 'floor: plain broadcast with ack, small payload' };
		const fl = likeForLike(o.wire.fanout);
		cpu0 = cpuSecondsOf(pid);
		const f = await server.request<{ clients: number; persisted: number; failed: number; ms: number }>({ cmd: 'fanout', limit: o.fanout, ...fl }, 180_000);
		const fanoutCpu = cpuPer(cpu0, f.clients);
		details.fanout = { ...f, likeForLike: fl, serverCpuMsPerDevice: fanoutCpu };
		figures['fanout.ms'] = { value: round(f.ms), what: `like for like: ${fl.payloadBytes} B set, ${fl.progressPerOp} progress, signed result verified, group commit (floor ${round(b.ms)} ms)` };
		figures['fanout.serverCpuMsPerOp'] = { value: fanoutCpu, what: 'like for like (same messages, bytes, signatures, writes)' };

		const sl = likeForLike(o.wire.sustained);
		cpu0 = cpuSecondsOf(pid);
		const s = await server.request<{ sent: number; persisted: number; failed: number; elapsedMs: number; latencies: number[] }>(
			{ cmd: 'sustained', rate: o.rate, durationMs: o.durationS * 1000, ...sl },
			o.durationS * 1000 + 180_000
		);
		const sustainedCpu = cpuPer(cpu0, s.persisted);
		const lat = summarize(s.latencies);
		details.sustained = { sent: s.sent, persisted: s.persisted, failed: s.failed, elapsedMs: round(s.elapsedMs), latencyFromScheduleMs: lat, likeForLike: sl, serverCpuMsPerOp: sustainedCpu };
		figures['sustained.perSecond'] = { value: round(s.persisted / (s.elapsedMs / 1000), 0), what: 'like for like, achieved (persisted / last completion)' };
		figures['sustained.p50Ms'] = { value: lat.p50, what: 'like for like, due → committed' };
		figures['sustained.p99Ms'] = { value: lat.p99, what: 'like for like, due → committed' };
		figures['sustained.serverCpuMsPerOp'] = { value: sustainedCpu, what: 'like for like' };

		if (o.storm) {
			await Promise.all(sims.map((sim) => sim.request({ cmd: 'raw-close' })));
			await sleep(1000);
			cpu0 = cpuSecondsOf(pid);
			const st = await connect(1_000_000, 0);
			const stormCpu = cpuPer(cpu0, st.connected);
			const stLat = summarize(st.connectMs);
			details.storm = { reconnected: st.connected, latencyMs: stLat, allMs: round(st.ms), serverCpuMsPerDevice: stormCpu };
			figures['storm.p95Ms'] = { value: stLat.p95, what: 'plain reconnect + Ed25519 challenge, p95' };
			figures['storm.serverCpuMsPerOp'] = { value: stormCpu, what: 'reconnect + Ed25519 challenge only (no queued operation)' };
		}
		details.serverCpuS = round(cpuSecondsOf(pid));
		return { figures, details };
	} finally {
		await Promise.all(sims.map((sim) => sim.request({ cmd: 'raw-close' }).catch(() => {})));
		await server.stop();
	}
}
