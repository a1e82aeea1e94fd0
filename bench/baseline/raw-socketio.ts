/**
 * The raw socket.io baseline, run in the same bench with the same simulator processes, source addresses and
 * client count as the product: a plain socket.io server (raw-server.ts) and plain clients that ack.
 * Figures: RSS per connection, broadcast-with-ack to F clients, per-client emit-with-ack at the sustained
 * rate (p50/p99), and a reconnect storm (connect p95).
 */
import path from 'node:path';
import { IpcChild } from '../lib/ipc-child';
import type { Simulator } from '../lib/sim-pool';
import type { RawConnectReport } from '../simulator/protocol';
import { percentile, round, sleep, summarize } from '../lib/stats';

type RawReq =
	| { cmd: 'rss' }
	| { cmd: 'count' }
	| { cmd: 'broadcast'; payload: unknown; timeoutMs: number; limit: number }
	| { cmd: 'sustained'; payload: unknown; rate: number; durationMs: number; timeoutMs: number }
	| { cmd: 'exit' };

const RAW_SERVER = path.resolve(import.meta.dirname, 'raw-server.ts');

/** About the size of one relayed Start command set on the wire. */
const PAYLOAD = {
	batchId: '019ab9c0-0000-7000-8000-000000000000',
	maId: '019ab9c0-0000-7000-8000-000000000001',
	maName: 'Bench MA',
	consentMode: 'silent',
	intent: 'bench fan-out',
	issuedAt: 1764100000000,
	expiresAt: 1764704800000,
	operations: [{ correlator: 'AAAAAAAAAAAAAAAAAAAAAA', kind: 'Start', componentId: 'org.scomorelay.bench.clicker', version: null, package: null }]
};

export type RawFigures = Record<string, number>;

export async function runRawSocketIo(
	sims: readonly Simulator[],
	perSim: readonly number[],
	o: { fanout: number; rate: number; durationS: number; storm: boolean }
): Promise<{ figures: RawFigures; details: Record<string, unknown> }> {
	const server = IpcChild.fork<RawReq>('raw socket.io server', RAW_SERVER, ['--max-old-space-size=4096']);
	try {
		const { url } = (await server.ready) as { url: string };
		await sleep(1000);
		const before = (await server.request<{ rss: number }>({ cmd: 'rss' })).rss;
		const connect = async (perWave: number, waveMs: number) => {
			const reports = await Promise.all(
				sims.map((s, i) => s.request<RawConnectReport>({ cmd: 'raw-connect', url, n: perSim[i]!, perWave, waveMs, timeoutMs: 60_000 }, 180_000))
			);
			return { connected: reports.reduce((a, r) => a + r.connected, 0), connectMs: reports.flatMap((r) => r.connectMs), ms: Math.max(...reports.map((r) => r.ms)) };
		};
		const total = perSim.reduce((a, b) => a + b, 0);
		const c = await connect(250, 50);
		await sleep(2000);
		const after = (await server.request<{ rss: number }>({ cmd: 'rss' })).rss;
		const figures: RawFigures = {};
		const details: Record<string, unknown> = { clients: total, connected: c.connected, rssBeforeMb: round(before / 2 ** 20), rssAfterMb: round(after / 2 ** 20) };
		figures['fleet.memoryPerDeviceKb'] = round((after - before) / Math.max(1, c.connected) / 1024);
		figures['fleet.held'] = c.connected;
		figures['fleet.connectP95Ms'] = round(percentile(c.connectMs, 95));

		const b = await server.request<{ clients: number; replies: number; ms: number }>({ cmd: 'broadcast', payload: PAYLOAD, timeoutMs: 60_000, limit: o.fanout }, 90_000);
		details.broadcast = b;
		figures['fanout.ms'] = round(b.ms);
		figures['fanout.deliveredMs'] = round(b.ms);

		const s = await server.request<{ sent: number; acked: number; failed: number; elapsedMs: number; latencies: number[] }>(
			{ cmd: 'sustained', payload: PAYLOAD, rate: o.rate, durationMs: o.durationS * 1000, timeoutMs: 30_000 },
			o.durationS * 1000 + 60_000
		);
		const lat = summarize(s.latencies);
		details.sustained = { sent: s.sent, acked: s.acked, failed: s.failed, latencyMs: lat };
		figures['sustained.perSecond'] = round(s.acked / (s.elapsedMs / 1000), 0);
		figures['sustained.p50Ms'] = lat.p50;
		figures['sustained.p99Ms'] = lat.p99;

		if (o.storm) {
			await Promise.all(sims.map((sim) => sim.request({ cmd: 'raw-close' })));
			await sleep(1000);
			const st = await connect(1_000_000, 0);
			const stLat = summarize(st.connectMs);
			details.storm = { reconnected: st.connected, latencyMs: stLat, allMs: round(st.ms) };
			figures['storm.p95Ms'] = stLat.p95;
		}
		return { figures, details };
	} finally {
		await Promise.all(sims.map((sim) => sim.request({ cmd: 'raw-close' }).catch(() => {})));
		await server.stop();
	}
}
