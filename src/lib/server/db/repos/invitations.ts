/** Invitations of administrators to an MA (by SHA-256 of the link's token). */
import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { invitations as t } from '../schema-auth';
import { managementAuthorities } from '../schema';
import type { Q } from './types';

export type InvitationRow = typeof t.$inferSelect;

export const insertInvitation = (q: Q, row: typeof t.$inferInsert) => q.insert(t).values(row).run();
/** The invitation with this token hash and its MA's name. */
export const getInvitationByTokenHash = (q: Q, tokenHash: string): { i: InvitationRow; maName: string } | undefined =>
	q
		.select({ i: t, maName: managementAuthorities.name })
		.from(t)
		.innerJoin(managementAuthorities, eq(managementAuthorities.id, t.maId))
		.where(eq(t.tokenHash, tokenHash))
		.get();
/** Marks a pending invitation used (atomically: first one wins); undefined when it was not pending. */
export const usePendingInvitation = (q: Q, tokenHash: string, adminId: string, now: number): { maId: string; role: string; id: string } | undefined =>
	q
		.update(t)
		.set({ usedAt: now, usedBy: adminId })
		.where(and(eq(t.tokenHash, tokenHash), isNull(t.usedAt), isNull(t.revokedAt), gt(t.expiresAt, now)))
		.returning({ maId: t.maId, role: t.role, id: t.id })
		.get();
export const listInvitations = (q: Q, maId: string, limit: number): InvitationRow[] =>
	q.select().from(t).where(eq(t.maId, maId)).orderBy(desc(t.createdAt)).limit(limit).all();
/** Revokes an unused, unrevoked invitation of this MA; returns the rows changed. */
export const revokePendingInvitation = (q: Q, maId: string, id: string, now: number): number =>
	q
		.update(t)
		.set({ revokedAt: now })
		.where(and(eq(t.id, id), eq(t.maId, maId), isNull(t.usedAt), isNull(t.revokedAt)))
		.run().changes;
