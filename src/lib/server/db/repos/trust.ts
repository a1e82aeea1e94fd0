/** An MA's trust chain: its last issued trust statement and the passkey-approved grants (links). */
import { desc, eq } from 'drizzle-orm';
import { maTrustGrants as grants, maTrustStatements as statements } from '../schema-security';
import type { Q } from './types';

export type TrustStatementRow = typeof statements.$inferSelect;
export type TrustGrantRow = typeof grants.$inferSelect;

export const getTrustStatement = (q: Q, maId: string): TrustStatementRow | undefined =>
	q.select().from(statements).where(eq(statements.maId, maId)).get();
export const insertTrustStatement = (q: Q, row: typeof statements.$inferInsert) => q.insert(statements).values(row).run();
export const updateTrustStatement = (q: Q, maId: string, set: Partial<typeof statements.$inferInsert>) =>
	q.update(statements).set(set).where(eq(statements.maId, maId)).run();

/** The MA's most recent grants, newest first. */
export const listRecentTrustGrants = (q: Q, maId: string, limit: number): TrustGrantRow[] =>
	q.select().from(grants).where(eq(grants.maId, maId)).orderBy(desc(grants.epoch)).limit(limit).all();
/** The epoch of the MA's latest grant; 0 when it has none. */
export const lastTrustGrantEpoch = (q: Q, maId: string): number =>
	q.select({ epoch: grants.epoch }).from(grants).where(eq(grants.maId, maId)).orderBy(desc(grants.epoch)).limit(1).get()?.epoch ?? 0;
export const insertTrustGrant = (q: Q, row: typeof grants.$inferInsert) => q.insert(grants).values(row).run();
