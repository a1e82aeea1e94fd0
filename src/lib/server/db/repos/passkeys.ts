/** Administrators' passkeys (WebAuthn credentials). */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { administrators, passkeys as t } from '../schema-auth';
import type { Q } from './types';

export type PasskeyRow = typeof t.$inferSelect;

export const insertPasskey = (q: Q, row: typeof t.$inferInsert) => q.insert(t).values(row).run();
export const getPasskey = (q: Q, id: string): PasskeyRow | undefined => q.select().from(t).where(eq(t.id, id)).get();
export const listPasskeys = (q: Q, adminId: string): PasskeyRow[] =>
	q.select().from(t).where(eq(t.adminId, adminId)).orderBy(asc(t.createdAt)).all();
/** Every passkey of the administrators, unordered. */
export const listPasskeysOfAdmins = (q: Q, adminIds: readonly string[]): PasskeyRow[] =>
	adminIds.length === 0 ? [] : q.select().from(t).where(inArray(t.adminId, [...adminIds])).all();
export const markPasskeyUsed = (q: Q, id: string, counter: number, now: number) =>
	q.update(t).set({ counter, lastUsedAt: now }).where(eq(t.id, id)).run();
/** Renames one of the administrator's passkeys; returns the rows changed. */
export const renamePasskey = (q: Q, adminId: string, id: string, name: string): number =>
	q
		.update(t)
		.set({ name })
		.where(and(eq(t.id, id), eq(t.adminId, adminId)))
		.run().changes;
/** Deletes one of the administrator's passkeys; returns the rows changed. */
export const deletePasskey = (q: Q, adminId: string, id: string): number =>
	q
		.delete(t)
		.where(and(eq(t.id, id), eq(t.adminId, adminId)))
		.run().changes;
/** A passkey's name and its administrator's display name. */
export const getPasskeyName = (q: Q, id: string): { name: string; adminName: string } | undefined =>
	q
		.select({ name: t.name, adminName: administrators.displayName })
		.from(t)
		.innerJoin(administrators, eq(administrators.id, t.adminId))
		.where(eq(t.id, id))
		.get();
