/**
 * Scenario 3, sustained operations: R operations per second for D seconds (Start/Stop alternating per
 * device so each succeeds), created over REST every 10 ms in 8 lanes of sequential POSTs (a POST names the
 * devices that became due in its lane; one device stays in one lane, so its operations arrive in order and
 * a Stop never overtakes its Start). Open loop: the latency of each runs from the time it was DUE on the
 * schedule (t0 + i / R) to "result persisted" (the device holds the server's ack of its result), so time an
 * operation spent queued behind a slow POST counts; "request left → persisted" is kept beside it. The rate
 * figure is the achieved one: operations completed / (last completion − start).
 */
import type { BenchContext, Created } from '../lib/context';
import { round, sleep, summarize, wallNow } from '../lib/stats';

/** Lanes of sequential POSTs: a device belongs to one lane, so its operations reach the server in order. */
const LANES = 8;

export async function sustainedScenario(ctx: BenchContext) {
	const { rate, durationS } = ctx.opts;
	const total = Math.round(rate * durationS);
	const ids = ctx.deviceIds;
	await ctx.resetObservations();
	const created = new Map<string, Created>();
	const posts: Promise<void>[] = [];
	const queues: { id: string; dueAt: number }[][] = Array.from({ length: LANES }, () => []);
	const busy: boolean[] = Array.from({ length: LANES }, () => false);
	let sent = 0;
	let next = 0;
	let postErrors = 0;
	const postErrorSamples: string[] = [];
	/** Sends what is due in a lane unless its previous POST is still out; a device appears once per POST. */
	const pump = (lane: number): void => {
		if (busy[lane] || queues[lane]!.length === 0) return;
		const q = queues[lane]!;
		const batch: string[] = [];
		const dueAt = new Map<string, number>();
		while (q.length > 0 && !dueAt.has(q[0]!.id)) {
			const item = q.shift()!;
			dueAt.set(item.id, item.dueAt);
			batch.push(item.id);
		}
		busy[lane] = true;
		posts.push(
			ctx
				.createOps(batch, 'bench sustained', dueAt)
				.then(
					(m) => void m.forEach((v, k) => created.set(k, v)),
					(e: unknown) => {
						if (postErrors++ < 5) postErrorSamples.push(e instanceof Error ? e.message : String(e));
					}
				)
				.finally(() => {
					busy[lane] = false;
					pump(lane);
				})
		);
	};
	const cpu = ctx.cpuMeter();
	const t0 = wallNow();
	while (sent < total) {
		const due = Math.min(total, Math.ceil(((wallNow() - t0) / 1000) * rate));
		while (sent < due) {
			const i = next++ % ids.length;
			// Due at its place on the schedule, whenever the loop got round to queueing it.
			queues[i % LANES]!.push({ id: ids[i]!, dueAt: t0 + (sent / rate) * 1000 });
			sent++;
		}
		for (let l = 0; l < LANES; l++) pump(l);
		await sleep(10);
	}
	while (busy.some(Boolean) || queues.some((q) => q.length > 0)) {
		for (let l = 0; l < LANES; l++) pump(l);
		await Promise.all(posts);
	}
	await Promise.all(posts);
	const createdMs = wallNow() - t0;
	const acked = await ctx.waitForAcks(created.keys(), 240_000);
	const used = cpu();
	const { ops, wire } = await ctx.collect();
	const perOp = ctx.recordWire('sustained', wire, created.size);
	ctx.check('sustained', 'every create request was accepted', postErrors === 0, `${postErrors} failed: ${postErrorSamples.join(' | ')}`);
	ctx.check('sustained', 'every result arrived in time', acked >= created.size, `${acked}/${created.size}`);
	ctx.verifyOps('sustained', created, ops);
	const latencies: number[] = [];
	const fromRequest: number[] = [];
	let lastAck = 0;
	for (const [c, meta] of created) {
		const r = ops.get(c);
		if (r?.ackedAt) {
			latencies.push(r.ackedAt - meta.dueAt);
			fromRequest.push(r.ackedAt - meta.createdAt);
			lastAck = Math.max(lastAck, r.ackedAt);
		}
	}
	const lat = summarize(latencies);
	const latRequest = summarize(fromRequest);
	const achieved = latencies.length / ((lastAck - t0) / 1000);
	ctx.details.sustained = {
		offeredPerSecond: rate,
		durationS,
		created: created.size,
		createWindowMs: round(createdMs),
		completed: latencies.length,
		latencyFromScheduleMs: lat,
		latencyFromRequestMs: latRequest,
		cpuSeconds: { server: round(used.serverS), simulators: round(used.simulatorsS) },
		wirePerOperation: perOp
	};
	ctx.cpuFigure('sustained', 'operation', latencies.length, used, lastAck - t0, 0.6);
	ctx.figure({
		scenario: 'sustained',
		key: 'sustained.perSecond',
		figure: `operations completed per second (offered ${rate}/s for ${durationS} s)`,
		value: round(achieved, 0),
		unit: 'ops/s',
		goal: { op: '>=', value: 2000 },
		raw: null
	});
	ctx.figure({ scenario: 'sustained', key: 'sustained.p50Ms', figure: 'due (schedule) → result persisted, p50', value: lat.p50, unit: 'ms', goal: null, raw: null });
	ctx.figure({ scenario: 'sustained', key: 'sustained.p99Ms', figure: 'due (schedule) → result persisted, p99', value: lat.p99, unit: 'ms', goal: { op: '<=', value: 25 }, raw: null, note: `request left → persisted: p50 ${latRequest.p50} ms, p99 ${latRequest.p99} ms` });
}
