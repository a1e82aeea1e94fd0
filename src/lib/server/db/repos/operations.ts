/** Operations: one SCOMO operation on one device, keyed for the device by its correlator. */
import { and, asc, desc, eq, inArray, lte, notInArray, sql, type SQL } from 'drizzle-orm';
import { prepared } from '../prepared';
import { operations as t } from '../schema';
import type { Q } from './types';

export type OperationRow = typeof t.$inferSelect;

/** Statuses after which nothing changes (core's isTerminalStatus, as SQL). */
export const TERMINAL_STATUSES = ['completed', 'failed', 'expired', 'cancelled'] as const;

// Keeps each INSERT well under SQLite's bound-parameter limit.
const CHUNK = 400;

export function insertOperations(q: Q, rows: (typeof t.$inferInsert)[]): void {
	for (let i = 0; i < rows.length; i += CHUNK) q.insert(t).values(rows.slice(i, i + CHUNK)).run();
}

/** Prepared: every result and progress message starts with this lookup. */
export const getOperationByCorrelator = (q: Q, correlator: string): OperationRow | undefined =>
	prepared(q, 'operationByCorrelator', (d) => d.select().from(t).where(eq(t.correlator, sql.placeholder('correlator'))).prepare()).get({ correlator });
export const getOperation = (q: Q, id: string): OperationRow | undefined => q.select().from(t).where(eq(t.id, id)).get();

export type OperationFilter = { maId: string; deviceId?: string; status?: string; batchId?: string; limit: number };
/** Where the previous page ended: the last row's sort key (newest first, then batch order, then ID). */
export type OperationCursor = { createdAt: number; seq: number; id: string };

const filterWhere = (f: Omit<OperationFilter, 'limit'>): SQL | undefined =>
	and(
		eq(t.maId, f.maId),
		f.deviceId ? eq(t.deviceId, f.deviceId) : undefined,
		f.status ? eq(t.status, f.status) : undefined,
		f.batchId ? eq(t.batchId, f.batchId) : undefined
	);

/**
 * Rows after the cursor in the list's order (created_at desc, seq asc, id asc). The directions differ, so
 * the keyset is spelled out rather than one row-value comparison; the (ma_id, created_at) index serves it.
 */
const afterCursor = (c: OperationCursor): SQL =>
	// The leading `created_at <=` gives the index a range to seek to; the rest breaks ties within it.
	sql`(${t.createdAt} <= ${c.createdAt} AND (${t.createdAt} < ${c.createdAt} OR (${t.seq} > ${c.seq} OR (${t.seq} = ${c.seq} AND ${t.id} > ${c.id}))))`;

export function listOperations(q: Q, f: OperationFilter, after: OperationCursor | null = null): OperationRow[] {
	return q
		.select()
		.from(t)
		.where(and(filterWhere(f), after ? afterCursor(after) : undefined))
		.orderBy(desc(t.createdAt), asc(t.seq), asc(t.id))
		.limit(f.limit)
		.all();
}

/** How many operations match the filter (the list's total): one COUNT, no rows read. */
export function countOperations(q: Q, f: Omit<OperationFilter, 'limit'>): number {
	const row = q
		.select({ n: sql<number>`count(*)` })
		.from(t)
		.where(filterWhere(f))
		.get();
	return Number(row?.n ?? 0);
}

/** Every unfinished operation of a device, in creation and batch order (what a reconnecting device gets). */
export const listOpenOperationsOfDevice = (q: Q, deviceId: string): OperationRow[] =>
	q
		.select()
		.from(t)
		.where(and(eq(t.deviceId, deviceId), notInArray(t.status, [...TERMINAL_STATUSES])))
		.orderBy(asc(t.createdAt), asc(t.seq), asc(t.id))
		.all();

/** Every unfinished operation of a batch (SCOMO-SEC-02: relayed once a passkey approved it). */
export const listOpenOperationsOfBatch = (q: Q, batchId: string): OperationRow[] =>
	q
		.select()
		.from(t)
		.where(and(eq(t.batchId, batchId), notInArray(t.status, [...TERMINAL_STATUSES])))
		.orderBy(asc(t.createdAt), asc(t.seq), asc(t.id))
		.all();

export const listOperationsByIds = (q: Q, ids: readonly string[]): OperationRow[] =>
	ids.length === 0 ? [] : q.select().from(t).where(inArray(t.id, [...ids])).orderBy(asc(t.createdAt), asc(t.seq)).all();

/** Unfinished operations whose deadline has passed. */
export const listDueOperations = (q: Q, now: number, limit = 1000): OperationRow[] =>
	q
		.select()
		.from(t)
		.where(and(lte(t.expiresAt, now), notInArray(t.status, [...TERMINAL_STATUSES])))
		.orderBy(asc(t.expiresAt))
		.limit(limit)
		.all();

/** Queued → delivered, only for these correlators of this device. */
/**
 * Marks the queued operations of an acked set delivered and returns the rows it changed. Prepared, one
 * correlator per execution (a set usually holds one operation): no SQL is built per ack.
 */
export function markDelivered(q: Q, deviceId: string, correlators: readonly string[], at: number): OperationRow[] {
	const update = prepared(q, 'markDelivered', (d) =>
		d
			.update(t)
			.set({ status: 'delivered', deliveredAt: sql.placeholder('at') as unknown as number })
			.where(and(eq(t.correlator, sql.placeholder('correlator')), eq(t.deviceId, sql.placeholder('deviceId')), eq(t.status, 'queued')))
			.returning()
			.prepare()
	);
	return correlators.flatMap((correlator) => update.all({ correlator, deviceId, at }));
}

/** Operations of one device by correlator, in one query (an acked set's operations). */
export const getOperationsOfDeviceByCorrelators = (q: Q, deviceId: string, correlators: readonly string[]): OperationRow[] =>
	correlators.length === 0 ? [] : q.select().from(t).where(and(eq(t.deviceId, deviceId), inArray(t.correlator, [...correlators]))).all();

/** Any change to an unfinished operation; `changes` is 0 when it had already finished. */
export const updateOpenOperation = (q: Q, id: string, set: Partial<typeof t.$inferInsert>) =>
	q
		.update(t)
		.set(set)
		.where(and(eq(t.id, id), notInArray(t.status, [...TERMINAL_STATUSES])))
		.run();

/**
 * A result closes its operation if it is still open (prepared: one per result). Returns the rows changed:
 * 0 means it had already ended, and the result is a duplicate.
 */
export const closeOpenOperation = (
	q: Q,
	id: string,
	set: { status: string; resultCode: number; resultMessage: string; completedAt: number; deliveredAt: number }
): number =>
	prepared(q, 'closeOpenOperation', (d) =>
		d
			.update(t)
			.set({
				status: sql.placeholder('status'),
				resultCode: sql.placeholder('resultCode'),
				resultMessage: sql.placeholder('resultMessage'),
				completedAt: sql.placeholder('completedAt'),
				deliveredAt: sql.placeholder('deliveredAt')
			} as never)
			.where(and(eq(t.id, sql.placeholder('id')), notInArray(t.status, [...TERMINAL_STATUSES])))
			.prepare()
	).run({ id, ...set }).changes;

/** A change allowed only from some statuses (cancel: queued or delivered). */
export const updateOperationFrom = (q: Q, id: string, from: readonly string[], set: Partial<typeof t.$inferInsert>) =>
	q
		.update(t)
		.set(set)
		.where(and(eq(t.id, id), inArray(t.status, [...from])))
		.run();

/** Every operation of a batch, by device and batch order (the batch's Merkle leaves). */
export const listOperationsOfBatch = (q: Q, batchId: string): OperationRow[] =>
	q.select().from(t).where(eq(t.batchId, batchId)).orderBy(asc(t.deviceId), asc(t.seq)).all();

/** Whether any operation of the batch is still unfinished. */
export const batchHasOpenOperation = (q: Q, batchId: string): boolean =>
	q
		.select({ id: t.id })
		.from(t)
		.where(and(eq(t.batchId, batchId), notInArray(t.status, [...TERMINAL_STATUSES])))
		.limit(1)
		.all().length > 0;

/** The unfinished operations of one device in one MA. */
export const listOpenOperationsOfDeviceInMa = (q: Q, deviceId: string, maId: string): OperationRow[] =>
	q
		.select()
		.from(t)
		.where(and(eq(t.deviceId, deviceId), eq(t.maId, maId), notInArray(t.status, [...TERMINAL_STATUSES])))
		.all();

/** The same change to several operations at once (by id, whatever their status). */
export const updateOperationsByIds = (q: Q, ids: readonly string[], set: Partial<typeof t.$inferInsert>) =>
	q
		.update(t)
		.set(set)
		.where(inArray(t.id, [...ids]))
		.run();

/** How many operations of each batch are in each status: aggregates only (a batch may span the whole fleet). */
export const batchStatusCounts = (q: Q, batchIds: readonly string[]): { batchId: string; status: string; n: number }[] =>
	batchIds.length === 0
		? []
		: q
				.select({ batchId: sql<string>`${t.batchId}`, status: t.status, n: sql<number>`count(*)` })
				.from(t)
				.where(inArray(t.batchId, [...batchIds]))
				.groupBy(t.batchId, t.status)
				.all();

/** How many devices each batch addresses. */
export const batchDeviceCounts = (q: Q, batchIds: readonly string[]): { batchId: string; n: number }[] =>
	batchIds.length === 0
		? []
		: q
				.select({ batchId: sql<string>`${t.batchId}`, n: sql<number>`count(DISTINCT ${t.deviceId})` })
				.from(t)
				.where(inArray(t.batchId, [...batchIds]))
				.groupBy(t.batchId)
				.all();

/**
 * Each batch's steps: the operations of one of its devices (every device of a batch gets the same steps), so
 * what a batch does is read from a handful of rows, whatever its size.
 */
export function batchSteps(q: Q, batchIds: readonly string[]): { batchId: string; seq: number; kind: string; componentId: string | null; version: string | null }[] {
	const out = [];
	for (const batchId of batchIds) {
		const one = q.select({ deviceId: t.deviceId }).from(t).where(eq(t.batchId, batchId)).limit(1).get();
		if (!one) continue;
		const rows = q
			.select({ seq: t.seq, kind: t.kind, componentId: t.componentId, version: t.targetVersion })
			.from(t)
			.where(and(eq(t.batchId, batchId), eq(t.deviceId, one.deviceId)))
			.orderBy(asc(t.seq))
			.all();
		for (const r of rows) out.push({ batchId, ...r });
	}
	return out;
}

/** How many of the MA's operations are unfinished (the overview's figure): one COUNT. */
export const countOpenOperations = (q: Q, maId: string): number =>
	Number(
		q
			.select({ n: sql<number>`count(*)` })
			.from(t)
			.where(and(eq(t.maId, maId), notInArray(t.status, [...TERMINAL_STATUSES])))
			.get()?.n ?? 0
	);

/** How many of the MA's operations ended other than completed since `since`: one COUNT. */
export const countUnsuccessfulSince = (q: Q, maId: string, since: number): number =>
	Number(
		q
			.select({ n: sql<number>`count(*)` })
			.from(t)
			.where(and(eq(t.maId, maId), inArray(t.status, ['failed', 'expired', 'cancelled']), sql`${t.completedAt} > ${since}`))
			.get()?.n ?? 0
	);

/** The MA's latest finished operations (the overview's "latest results"), newest result first. */
export const latestFinishedOperations = (q: Q, maId: string, limit: number): OperationRow[] =>
	q
		.select()
		.from(t)
		.where(and(eq(t.maId, maId), sql`${t.completedAt} IS NOT NULL`))
		.orderBy(desc(t.completedAt), asc(t.id))
		.limit(limit)
		.all();
