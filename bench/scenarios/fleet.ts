/**
 * Scenario 1, connected fleet: N devices connected and authenticated (Ed25519 challenge, device info and
 * inventory sent), and the server's resident memory per device.
 */
import type { BenchContext } from '../lib/context';
import type { ConnectReport } from '../simulator/protocol';
import { rssOf } from '../lib/server';
import { sleep, summarize, round } from '../lib/stats';

/** Connects every enrolled device in waves; returns what the simulators saw. */
export async function connectFleet(ctx: BenchContext, opts: { perWave: number; waveMs: number; timeoutMs: number }) {
	const reports = await Promise.all(
		ctx.sims.map((s) => s.request<ConnectReport>({ cmd: 'connect', ...opts }, opts.timeoutMs + 30_000))
	);
	const online = reports.reduce((a, r) => a + r.online, 0);
	const ms = Math.max(...reports.map((r) => r.ms));
	const connectMs = reports.flatMap((r) => r.connectMs);
	return { online, total: reports.reduce((a, r) => a + r.total, 0), ms, connectMs };
}

export async function fleetScenario(ctx: BenchContext, measure: boolean, cap: { limit: number; requested: number }) {
	const server = ctx.server!;
	await sleep(1500);
	const before = rssOf(server.pid);
	const n = ctx.deviceIds.length;
	const cpu = ctx.cpuMeter();
	const r = await connectFleet(ctx, { perWave: 250, waveMs: 50, timeoutMs: Math.max(30_000, n * 10) });
	const used = cpu();
	await sleep(2000);
	const after = rssOf(server.pid);
	const onServer = await ctx.onlineOnServer();
	ctx.check('fleet', 'every device connected and authenticated', r.online === n, `${r.online}/${n} on the devices`);
	ctx.check('fleet', 'the server sees every device online', onServer === n, `${onServer}/${n} online on the server`);
	if (!measure) return;
	const perDeviceKb = (after - before) / Math.max(1, r.online) / 1024;
	const lat = summarize(r.connectMs);
	ctx.cpuFigure('fleet', 'device connected and authenticated', r.online, used, r.ms, null);
	ctx.details.fleet = {
		requested: cap.requested,
		serverSocketCeiling: cap.limit,
		held: r.online,
		onServer,
		rssBeforeMb: round(before / 2 ** 20),
		rssAfterMb: round(after / 2 ** 20),
		connectAllMs: round(r.ms),
		connectLatencyMs: lat
	};
	ctx.figure({
		scenario: 'fleet',
		key: 'fleet.held',
		figure: 'devices connected and authenticated (largest N held)',
		value: r.online,
		unit: 'devices',
		goal: null,
		raw: null,
		note:
			cap.requested > cap.limit
				? `asked for ${cap.requested}; one server process holds at most ~${cap.limit} sockets (file-descriptor limit), the product has no second node yet`
				: undefined
	});
	ctx.figure({
		scenario: 'fleet',
		key: 'fleet.memoryPerDeviceKb',
		figure: 'server memory per connected device (RSS delta / N)',
		value: round(perDeviceKb),
		unit: 'KB',
		goal: { op: '<=', value: 25 },
		raw: null
	});
	ctx.figure({
		scenario: 'fleet',
		key: 'fleet.connectP95Ms',
		figure: 'connect + authenticate, per device p95 (ramped 250 per 50 ms per simulator)',
		value: lat.p95,
		unit: 'ms',
		goal: null,
		raw: null
	});
}
