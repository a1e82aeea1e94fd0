/** Batches: operations created together, confirmed once per device (SCOMO-ADC-2). */
import { eq, inArray } from 'drizzle-orm';
import { batches as t } from '../schema';
import type { Q } from './types';

export type BatchRow = typeof t.$inferSelect;

export const insertBatch = (q: Q, row: typeof t.$inferInsert) => q.insert(t).values(row).run();
export const getBatch = (q: Q, id: string): BatchRow | undefined => q.select().from(t).where(eq(t.id, id)).get();
export const getBatches = (q: Q, ids: readonly string[]): BatchRow[] =>
	ids.length === 0 ? [] : q.select().from(t).where(inArray(t.id, [...ids])).all();
