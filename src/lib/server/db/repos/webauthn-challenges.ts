/** WebAuthn challenges, single use, looked up by their own value. */
import { and, eq, lt } from 'drizzle-orm';
import { webauthnChallenges as t } from '../schema-auth';
import type { Q } from './types';

export type ChallengeRow = typeof t.$inferSelect;

export const deleteExpiredChallenges = (q: Q, now: number) => q.delete(t).where(lt(t.expiresAt, now)).run();
export const insertChallenge = (q: Q, row: typeof t.$inferInsert) => q.insert(t).values(row).run();
/** Deletes the challenge and returns it (whatever its expiry); undefined when there was none. */
export const takeChallenge = (q: Q, challenge: string, purpose: string): ChallengeRow | undefined =>
	q
		.delete(t)
		.where(and(eq(t.challenge, challenge), eq(t.purpose, purpose)))
		.returning()
		.get();
