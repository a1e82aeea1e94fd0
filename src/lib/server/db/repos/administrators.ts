/** Administrators (people who sign in with passkeys; their roles live in memberships). */
import { eq, inArray } from 'drizzle-orm';
import { administrators as t } from '../schema-auth';
import type { Q } from './types';

export type AdminRow = typeof t.$inferSelect;

export const getAdmin = (q: Q, id: string): AdminRow | undefined => q.select().from(t).where(eq(t.id, id)).get();
export const insertAdmin = (q: Q, row: typeof t.$inferInsert) => q.insert(t).values(row).run();
export const listAdminNames = (q: Q, ids: readonly string[]): { id: string; displayName: string }[] =>
	ids.length === 0 ? [] : q.select({ id: t.id, displayName: t.displayName }).from(t).where(inArray(t.id, [...ids])).all();
