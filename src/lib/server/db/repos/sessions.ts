/** Administrator sessions, keyed by the SHA-256 of the cookie's secret. */
import { and, eq, lt, ne, or } from 'drizzle-orm';
import { sessions as t } from '../schema-auth';
import type { Q } from './types';

export type SessionRow = typeof t.$inferSelect;

export const insertSession = (q: Q, row: typeof t.$inferInsert) => q.insert(t).values(row).run();
export const getSession = (q: Q, idHash: string): SessionRow | undefined => q.select().from(t).where(eq(t.idHash, idHash)).get();
export const touchSession = (q: Q, idHash: string, lastSeenAt: number) => q.update(t).set({ lastSeenAt }).where(eq(t.idHash, idHash)).run();
export const deleteSession = (q: Q, idHash: string) => q.delete(t).where(eq(t.idHash, idHash)).run();
/** Every session of the administrator, except `keepIdHash` when given; returns how many. */
export const deleteSessionsOfAdmin = (q: Q, adminId: string, keepIdHash?: string): number =>
	q
		.delete(t)
		.where(keepIdHash ? and(eq(t.adminId, adminId), ne(t.idHash, keepIdHash)) : eq(t.adminId, adminId))
		.run().changes;
export const countSessionsOfAdmin = (q: Q, adminId: string): number =>
	q.select({ h: t.idHash }).from(t).where(eq(t.adminId, adminId)).all().length;
/** Sessions past their absolute expiry or not seen since `idleSince`; returns how many. */
export const deleteExpiredSessions = (q: Q, now: number, idleSince: number): number =>
	q
		.delete(t)
		.where(or(lt(t.expiresAt, now), lt(t.lastSeenAt, idleSince)))
		.run().changes;
