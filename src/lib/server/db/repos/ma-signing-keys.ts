/** The MAs' command-signing keys (private halves sealed under the master key). */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { maSigningKeys as t } from '../schema-security';
import type { Q } from './types';

export type MaKeyRow = typeof t.$inferSelect;

/** Every key of the MA, oldest first. */
export const listMaKeys = (q: Q, maId: string): MaKeyRow[] =>
	q.select().from(t).where(eq(t.maId, maId)).orderBy(asc(t.createdAt), asc(t.id)).all();
/** The MA's keys not yet rotated out (no end of validity), oldest first. */
export const listUnretiredMaKeys = (q: Q, maId: string): MaKeyRow[] =>
	q
		.select()
		.from(t)
		.where(and(eq(t.maId, maId), isNull(t.validUntil)))
		.orderBy(asc(t.createdAt))
		.all();
export const insertMaKey = (q: Q, row: typeof t.$inferInsert) => q.insert(t).values(row).run();
/** Gives every unretired key of the MA an end of validity (rotation). */
export const retireMaKeys = (q: Q, maId: string, validUntil: number) =>
	q
		.update(t)
		.set({ validUntil })
		.where(and(eq(t.maId, maId), isNull(t.validUntil)))
		.run();
export const getMaKey = (q: Q, id: string): MaKeyRow | undefined => q.select().from(t).where(eq(t.id, id)).get();
