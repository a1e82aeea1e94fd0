/** One-time enrollment codes; only the SHA-256 of a code is stored. */
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { enrollmentCodes as t } from '../schema';
import type { Q } from './types';

export type EnrollmentCodeRow = typeof t.$inferSelect;

export const insertEnrollmentCode = (q: Q, row: typeof t.$inferInsert) => q.insert(t).values(row).run();
export const getEnrollmentCodeByHash = (q: Q, codeHash: string): EnrollmentCodeRow | undefined =>
	q.select().from(t).where(eq(t.codeHash, codeHash)).get();
export const getEnrollmentCode = (q: Q, id: string): EnrollmentCodeRow | undefined =>
	q.select().from(t).where(eq(t.id, id)).get();
export const listEnrollmentCodes = (q: Q, maId: string): EnrollmentCodeRow[] =>
	q.select().from(t).where(eq(t.maId, maId)).orderBy(desc(t.createdAt)).all();

/** Where the previous page ended: the last code's creation time and ID (newest first). */
export type EnrollmentCodeCursor = { createdAt: number; id: string };
export const listEnrollmentCodePage = (q: Q, maId: string, after: EnrollmentCodeCursor | null, limit: number): EnrollmentCodeRow[] =>
	q
		.select()
		.from(t)
		.where(and(eq(t.maId, maId), after ? sql`(${t.createdAt}, ${t.id}) < (${after.createdAt}, ${after.id})` : undefined))
		.orderBy(desc(t.createdAt), desc(t.id))
		.limit(limit)
		.all();
export const countEnrollmentCodes = (q: Q, maId: string): number =>
	Number(q.select({ n: sql<number>`count(*)` }).from(t).where(eq(t.maId, maId)).get()?.n ?? 0);

/** Marks the code used only if it is still unused and not revoked; `changes` is 0 when someone was first. */
export const markEnrollmentCodeUsed = (q: Q, id: string, deviceId: string, at: number) =>
	q
		.update(t)
		.set({ usedAt: at, usedByDeviceId: deviceId })
		.where(and(eq(t.id, id), isNull(t.usedAt), isNull(t.revokedAt)))
		.run();

export const revokeEnrollmentCode = (q: Q, id: string, at: number) =>
	q
		.update(t)
		.set({ revokedAt: at })
		.where(and(eq(t.id, id), isNull(t.revokedAt)))
		.run();
