/**
 * Scenario 2, fan-out: one Start (SCOMO-HLFR-5, relayed command) to F devices in one request: persisted,
 * relayed, verified and journaled by each device runtime, acked, run, and its result persisted. The figure
 * is from the moment the request leaves to the moment the last result is acked by the server; the first
 * figure is the server's CPU per device over that window.
 */
import type { BenchContext } from '../lib/context';
import { round, wallNow } from '../lib/stats';

export async function fanoutScenario(ctx: BenchContext) {
	const ids = ctx.deviceIds.slice(0, ctx.opts.fanoutSize);
	await ctx.resetObservations();
	const cpu = ctx.cpuMeter();
	const t0 = wallNow();
	const created = await ctx.createOps(ids, 'bench fan-out');
	const answeredMs = wallNow() - t0;
	// Production-like: above the MA's high-risk size the batch waits for the owner's passkey (SCOMO-SEC-02).
	const approvals = await ctx.approvePending();
	const approvedMs = wallNow() - t0;
	const acked = await ctx.waitForAcks(created.keys(), 240_000);
	const used = cpu();
	const { ops, errors, wire } = await ctx.collect();
	const perOp = ctx.recordWire('fanout', wire, created.size);
	ctx.check('fanout', 'every result arrived in time', acked >= created.size, `${acked}/${created.size}`);
	ctx.verifyOps('fanout', created, ops);
	let lastAck = 0;
	let lastReceived = 0;
	for (const c of created.keys()) {
		const r = ops.get(c);
		if (r?.ackedAt) lastAck = Math.max(lastAck, r.ackedAt);
		if (r?.firstReceivedAt) lastReceived = Math.max(lastReceived, r.firstReceivedAt);
	}
	const totalMs = lastAck - t0;
	ctx.details.fanout = {
		devices: ids.length,
		requestAnsweredMs: round(answeredMs),
		passkeyApprovals: approvals,
		approvedMs: approvals ? round(approvedMs) : null,
		lastDeliveredMs: round(lastReceived - t0),
		lastResultPersistedMs: round(totalMs),
		cpuSeconds: { server: round(used.serverS), simulators: round(used.simulatorsS) },
		wirePerOperation: perOp,
		deviceErrors: errors.slice(0, 10)
	};
	ctx.cpuFigure('fanout', 'device', created.size, used, totalMs, 0.3);
	ctx.figure({
		scenario: 'fanout',
		key: 'fanout.ms',
		figure: `one Start to ${ids.length} devices: created${approvals ? ' → approved with the owner’s passkey' : ''} → every result persisted`,
		value: round(totalMs),
		unit: 'ms',
		goal: { op: '<=', value: 1000 },
		raw: null
	});
	ctx.figure({
		scenario: 'fanout',
		key: 'fanout.deliveredMs',
		figure: `one Start to ${ids.length} devices: created → last device has it`,
		value: round(lastReceived - t0),
		unit: 'ms',
		goal: null,
		raw: null
	});
}
