/** One-time enrollment codes; only the SHA-256 of a code is stored. */
import { and, desc, eq, isNull } from 'drizzle-orm';
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
