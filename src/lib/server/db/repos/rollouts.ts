/**
 * Staged rollouts (issue #17): the rollout rows, their phases and one row per device, plus the few joins the
 * scheduler and the console need (a device's outcome from its batch's operations, the live operation of a
 * device's current try). Thin queries, no rules: those are the core's (src/lib/core/rollout) and the service's.
 */
import { and, asc, desc, eq, inArray, isNotNull, lte, sql, gt, or, lt } from 'drizzle-orm';
import { rollouts as r, rolloutPhases as ph, rolloutDevices as rd } from '../schema-rollouts';
import { operations as o, enrollments as e } from '../schema';
import type { Q } from './types';

export type RolloutRow = typeof r.$inferSelect;
export type RolloutPhaseRow = typeof ph.$inferSelect;
export type RolloutDeviceRow = typeof rd.$inferSelect;
export type RolloutCursor = { createdAt: number; id: string };
export type RolloutDeviceCursor = { phaseIdx: number; deviceId: string };

const CHUNK = 500;

export const insertRollout = (q: Q, row: typeof r.$inferInsert) => q.insert(r).values(row).run();
export const getRollout = (q: Q, id: string): RolloutRow | undefined => q.select().from(r).where(eq(r.id, id)).get();
export const updateRollout = (q: Q, id: string, set: Partial<typeof r.$inferInsert>) => q.update(r).set(set).where(eq(r.id, id)).run();
/** Moves the rollout only from one of the given statuses: two actions racing cannot both win. */
export const updateRolloutFrom = (q: Q, id: string, from: readonly string[], set: Partial<typeof r.$inferInsert>): number =>
	q
		.update(r)
		.set(set)
		.where(and(eq(r.id, id), inArray(r.status, [...from])))
		.run().changes;

/** Newest first, after the cursor; one row more than `limit` tells whether another page follows. */
export function listRolloutPage(q: Q, maId: string, status: string | undefined, after: RolloutCursor | null, limit: number): RolloutRow[] {
	const keyset = after ? or(lt(r.createdAt, after.createdAt), and(eq(r.createdAt, after.createdAt), lt(r.id, after.id))) : undefined;
	return q
		.select()
		.from(r)
		.where(and(eq(r.maId, maId), status ? eq(r.status, status) : undefined, keyset))
		.orderBy(desc(r.createdAt), desc(r.id))
		.limit(limit)
		.all();
}

export function countRollouts(q: Q, maId: string, status: string | undefined): number {
	const row = q
		.select({ n: sql<number>`count(*)` })
		.from(r)
		.where(and(eq(r.maId, maId), status ? eq(r.status, status) : undefined))
		.get();
	return Number(row?.n ?? 0);
}

/**
 * What the scheduler visits: rollouts that may still do something, and finished ones whose in-flight devices
 * have not reported yet (their results still count in the tallies).
 */
export function rolloutIdsToTick(q: Q): string[] {
	const inFlight = sql`EXISTS (SELECT 1 FROM ${rd} WHERE ${rd.rolloutId} = ${r.id} AND ${rd.state} = 'delivered')`;
	return q
		.select({ id: r.id })
		.from(r)
		.where(or(inArray(r.status, ['scheduled', 'running', 'paused', 'awaiting-approval']), and(inArray(r.status, ['aborted', 'ended']), inFlight)))
		.orderBy(asc(r.createdAt))
		.all()
		.map((x) => x.id);
}

// ---------- phases ----------

export const insertPhases = (q: Q, rows: (typeof ph.$inferInsert)[]) => (rows.length === 0 ? undefined : q.insert(ph).values(rows).run());
export const getPhases = (q: Q, rolloutId: string): RolloutPhaseRow[] => q.select().from(ph).where(eq(ph.rolloutId, rolloutId)).orderBy(asc(ph.idx)).all();
export const updatePhase = (q: Q, rolloutId: string, idx: number, set: Partial<typeof ph.$inferInsert>) =>
	q
		.update(ph)
		.set(set)
		.where(and(eq(ph.rolloutId, rolloutId), eq(ph.idx, idx)))
		.run();

// ---------- devices ----------

export function insertDevices(q: Q, rows: (typeof rd.$inferInsert)[]): void {
	for (let i = 0; i < rows.length; i += CHUNK) q.insert(rd).values(rows.slice(i, i + CHUNK)).onConflictDoNothing().run();
}

export const rolloutDeviceIds = (q: Q, rolloutId: string): Set<string> =>
	new Set(
		q
			.select({ id: rd.deviceId })
			.from(rd)
			.where(eq(rd.rolloutId, rolloutId))
			.all()
			.map((x) => x.id)
	);

/** How many devices of each phase are in each state; failed ones with a retry ahead are counted apart. */
export function phaseStateCounts(q: Q, rolloutId: string): { phaseIdx: number; state: string; retrying: boolean; n: number }[] {
	// CASE, not a bare comparison: a number on both engines (PostgreSQL would answer a boolean).
	const retrying = sql<number>`(CASE WHEN ${rd.nextAttemptAt} IS NULL THEN 0 ELSE 1 END)`;
	return q
		.select({ phaseIdx: rd.phaseIdx, state: rd.state, retrying, n: sql<number>`count(*)` })
		.from(rd)
		.where(eq(rd.rolloutId, rolloutId))
		.groupBy(rd.phaseIdx, rd.state, retrying)
		.all()
		.map((x) => ({ phaseIdx: x.phaseIdx, state: x.state, retrying: Number(x.retrying) === 1, n: Number(x.n) }));
}

/** Devices ready to start: waiting in a phase up to `maxPhase`, then failed ones whose retry is due; in phase order. */
export function devicesToStart(q: Q, rolloutId: string, maxPhase: number, now: number, limit: number): RolloutDeviceRow[] {
	const waiting = and(eq(rd.state, 'waiting'), lte(rd.phaseIdx, maxPhase));
	const retryDue = and(eq(rd.state, 'failed'), isNotNull(rd.nextAttemptAt), lte(rd.nextAttemptAt, now), lte(rd.phaseIdx, maxPhase));
	return q
		.select()
		.from(rd)
		.where(and(eq(rd.rolloutId, rolloutId), or(waiting, retryDue)))
		.orderBy(asc(rd.phaseIdx), asc(rd.deviceId))
		.limit(limit)
		.all();
}

/** When the devices started in the last minute started (the rate limit's window). */
export const recentStarts = (q: Q, rolloutId: string, since: number): number[] =>
	q
		.select({ t: rd.startedAt })
		.from(rd)
		.where(and(eq(rd.rolloutId, rolloutId), gt(rd.startedAt, since)))
		.all()
		.map((x) => x.t!)
		.filter((t) => t !== null);

export const updateDevices = (q: Q, rolloutId: string, deviceIds: readonly string[], set: Partial<typeof rd.$inferInsert>) => {
	for (let i = 0; i < deviceIds.length; i += CHUNK) {
		q.update(rd)
			.set(set)
			.where(and(eq(rd.rolloutId, rolloutId), inArray(rd.deviceId, deviceIds.slice(i, i + CHUNK))))
			.run();
	}
};

/** Moves every device of the rollout in one of `from` states (optionally only up to a phase). */
export const updateDevicesInState = (q: Q, rolloutId: string, from: readonly string[], set: Partial<typeof rd.$inferInsert>, maxPhase?: number) =>
	q
		.update(rd)
		.set(set)
		.where(and(eq(rd.rolloutId, rolloutId), inArray(rd.state, [...from]), maxPhase === undefined ? undefined : lte(rd.phaseIdx, maxPhase)))
		.run().changes;

/** Delivered devices silent since before `startedBefore` (the in-progress timeout). */
export const deliveredStartedBefore = (q: Q, rolloutId: string, startedBefore: number): RolloutDeviceRow[] =>
	q
		.select()
		.from(rd)
		.where(and(eq(rd.rolloutId, rolloutId), eq(rd.state, 'delivered'), lte(rd.startedAt, startedBefore)))
		.all();

export type FinishedTry = { deviceId: string; refused: boolean; cancelled: boolean; failed: boolean; resultCode: number | null; completedAt: number | null; attempts: number };

/**
 * Delivered devices whose current try has ended: every operation of their batch on that device is finished.
 * Refused: one step answered 1401 (the user said no); failed: a step failed or expired; cancelled: withdrawn.
 */
export function finishedTries(q: Q, rolloutId: string): FinishedTry[] {
	const open = sql<number>`SUM(CASE WHEN ${o.status} IN ('completed','failed','expired','cancelled') THEN 0 ELSE 1 END)`;
	return q
		.select({
			deviceId: rd.deviceId,
			attempts: rd.attempts,
			open,
			refused: sql<number>`MAX(CASE WHEN ${o.resultCode} = 1401 THEN 1 ELSE 0 END)`,
			cancelled: sql<number>`MAX(CASE WHEN ${o.status} = 'cancelled' THEN 1 ELSE 0 END)`,
			failed: sql<number>`MAX(CASE WHEN ${o.status} IN ('failed','expired') THEN 1 ELSE 0 END)`,
			badCode: sql<number | null>`MAX(CASE WHEN ${o.status} <> 'completed' THEN ${o.resultCode} END)`,
			lastCode: sql<number | null>`MAX(${o.resultCode})`,
			completedAt: sql<number | null>`MAX(${o.completedAt})`
		})
		.from(rd)
		.innerJoin(o, and(eq(o.batchId, rd.batchId), eq(o.deviceId, rd.deviceId)))
		.where(and(eq(rd.rolloutId, rolloutId), eq(rd.state, 'delivered')))
		.groupBy(rd.deviceId, rd.attempts)
		.having(sql`${open} = 0`)
		.all()
		.map((x) => ({
			deviceId: x.deviceId,
			attempts: x.attempts,
			refused: Number(x.refused) === 1,
			cancelled: Number(x.cancelled) === 1,
			failed: Number(x.failed) === 1,
			resultCode: x.badCode ?? x.lastCode,
			completedAt: x.completedAt === null ? null : Number(x.completedAt)
		}));
}

/** The operations of delivered devices that have not started on the device (queued, delivered, awaiting consent). */
export const withdrawableOperations = (q: Q, rolloutId: string) =>
	q
		.select({ id: o.id, correlator: o.correlator, deviceId: o.deviceId })
		.from(rd)
		.innerJoin(o, and(eq(o.batchId, rd.batchId), eq(o.deviceId, rd.deviceId)))
		.where(and(eq(rd.rolloutId, rolloutId), eq(rd.state, 'delivered'), inArray(o.status, ['queued', 'delivered', 'awaiting-consent'])))
		.all();

export type RolloutDeviceListRow = RolloutDeviceRow & {
	name: string;
	opId: string | null;
	opStatus: string | null;
	downloadStatus: number | null;
};

/** One page of a rollout's devices in phase, then device order, with the device's name and its current try's operation. */
export function listRolloutDevicePage(
	q: Q,
	maId: string,
	rolloutId: string,
	f: { phase?: number; state?: string },
	after: RolloutDeviceCursor | null,
	limit: number
): RolloutDeviceListRow[] {
	const keyset = after ? sql`(${rd.phaseIdx}, ${rd.deviceId}) > (${after.phaseIdx}, ${after.deviceId})` : undefined;
	return q
		.select({ rd, name: sql<string>`COALESCE(${e.name}, '')`, opId: o.id, opStatus: o.status, downloadStatus: o.downloadStatus })
		.from(rd)
		.leftJoin(e, and(eq(e.deviceId, rd.deviceId), eq(e.maId, maId)))
		.leftJoin(o, eq(o.correlator, rd.correlator))
		.where(and(eq(rd.rolloutId, rolloutId), f.phase === undefined ? undefined : eq(rd.phaseIdx, f.phase), f.state ? eq(rd.state, f.state) : undefined, keyset))
		.orderBy(asc(rd.phaseIdx), asc(rd.deviceId))
		.limit(limit)
		.all()
		.map((x) => ({ ...x.rd, name: x.name, opId: x.opId, opStatus: x.opStatus, downloadStatus: x.downloadStatus }));
}

export function countRolloutDevices(q: Q, rolloutId: string, f: { phase?: number; state?: string }): number {
	const row = q
		.select({ n: sql<number>`count(*)` })
		.from(rd)
		.where(and(eq(rd.rolloutId, rolloutId), f.phase === undefined ? undefined : eq(rd.phaseIdx, f.phase), f.state ? eq(rd.state, f.state) : undefined))
		.get();
	return Number(row?.n ?? 0);
}
