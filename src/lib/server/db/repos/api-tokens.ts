/** MA API tokens; only the SHA-256 of the secret is stored. */
import { and, desc, eq, isNull } from 'drizzle-orm';
import { apiTokens as t } from '../schema';
import type { Q } from './types';

export type ApiTokenRow = typeof t.$inferSelect;

export const insertApiToken = (q: Q, row: typeof t.$inferInsert) => q.insert(t).values(row).run();
export const getApiTokenByHash = (q: Q, secretHash: string): ApiTokenRow | undefined =>
	q.select().from(t).where(eq(t.secretHash, secretHash)).get();
export const getApiToken = (q: Q, id: string): ApiTokenRow | undefined => q.select().from(t).where(eq(t.id, id)).get();
export const listApiTokens = (q: Q, maId: string): ApiTokenRow[] =>
	q.select().from(t).where(eq(t.maId, maId)).orderBy(desc(t.createdAt)).all();
export const touchApiToken = (q: Q, id: string, at: number) =>
	q.update(t).set({ lastUsedAt: at }).where(eq(t.id, id)).run();
export const revokeApiToken = (q: Q, id: string, at: number) =>
	q
		.update(t)
		.set({ revokedAt: at })
		.where(and(eq(t.id, id), isNull(t.revokedAt)))
		.run();
