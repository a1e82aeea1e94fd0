/** One-time setup links (by SHA-256 of the token): each creates one MA with its first owner. */
import { and, eq, gt, isNull } from 'drizzle-orm';
import { setupTokens as t } from '../schema-auth';
import type { Q } from './types';

export const insertSetupToken = (q: Q, row: typeof t.$inferInsert) => q.insert(t).values(row).run();
/** Whether an unused, unexpired token has this hash. */
export const setupTokenUsable = (q: Q, tokenHash: string, now: number): boolean =>
	q
		.select({ id: t.id })
		.from(t)
		.where(and(eq(t.tokenHash, tokenHash), isNull(t.usedAt), gt(t.expiresAt, now)))
		.get() !== undefined;
/** Marks the token used for the MA if it still is usable; returns the rows changed. */
export const useSetupToken = (q: Q, tokenHash: string, maId: string, now: number): number =>
	q
		.update(t)
		.set({ usedAt: now, maId })
		.where(and(eq(t.tokenHash, tokenHash), isNull(t.usedAt), gt(t.expiresAt, now)))
		.run().changes;
