/** Batches: operations created together, confirmed once per device (SCOMO-ADC-2). */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { batches as t } from '../schema';
import type { Q } from './types';

export type BatchRow = typeof t.$inferSelect;

export const insertBatch = (q: Q, row: typeof t.$inferInsert) => q.insert(t).values(row).run();
export const getBatch = (q: Q, id: string): BatchRow | undefined => q.select().from(t).where(eq(t.id, id)).get();
export const getBatches = (q: Q, ids: readonly string[]): BatchRow[] =>
	ids.length === 0 ? [] : q.select().from(t).where(inArray(t.id, [...ids])).all();

/** Where the previous page ended: the last batch's creation time and ID (newest first). */
export type BatchCursor = { createdAt: number; id: string };
/** One page of the MA's batches, newest first, after the cursor. */
export const listBatchPage = (q: Q, maId: string, after: BatchCursor | null, limit: number): BatchRow[] =>
	q
		.select()
		.from(t)
		.where(and(eq(t.maId, maId), after ? sql`(${t.createdAt}, ${t.id}) < (${after.createdAt}, ${after.id})` : undefined))
		.orderBy(desc(t.createdAt), desc(t.id))
		.limit(limit)
		.all();
export const countBatches = (q: Q, maId: string): number =>
	Number(q.select({ n: sql<number>`count(*)` }).from(t).where(eq(t.maId, maId)).get()?.n ?? 0);
