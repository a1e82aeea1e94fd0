/** The signed header of each command batch and, for high-risk batches, its passkey approval. */
import { and, asc, eq } from 'drizzle-orm';
import { batchEnvelopes as t } from '../schema-security';
import type { Q } from './types';

export type EnvelopeRow = typeof t.$inferSelect;

export const getEnvelope = (q: Q, batchId: string): EnvelopeRow | undefined => q.select().from(t).where(eq(t.batchId, batchId)).get();
export const insertEnvelope = (q: Q, row: typeof t.$inferInsert) => q.insert(t).values(row).run();
export const updateEnvelope = (q: Q, batchId: string, set: Partial<typeof t.$inferInsert>) =>
	q.update(t).set(set).where(eq(t.batchId, batchId)).run();
/** Records an approval, only on a batch of this MA that is still pending; `changes` is 0 otherwise. */
export const approvePendingEnvelope = (
	q: Q,
	maId: string,
	batchId: string,
	set: { assertion: string; approvedBy: string; approvedAt: number }
) =>
	q
		.update(t)
		.set({ approval: 'approved', ...set })
		.where(and(eq(t.batchId, batchId), eq(t.maId, maId), eq(t.approval, 'pending')))
		.run();
/** The MA's batches awaiting a passkey approval, oldest first. */
export const listPendingEnvelopes = (q: Q, maId: string): EnvelopeRow[] =>
	q
		.select()
		.from(t)
		.where(and(eq(t.maId, maId), eq(t.approval, 'pending')))
		.orderBy(asc(t.createdAt))
		.all();
