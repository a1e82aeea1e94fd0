/** Management Authorities (tenants). */
import { eq, inArray } from 'drizzle-orm';
import { managementAuthorities as t } from '../schema';
import type { Q } from './types';

export type MaRow = typeof t.$inferSelect;

export const insertMa = (q: Q, row: typeof t.$inferInsert) => q.insert(t).values(row).run();
export const getMa = (q: Q, id: string): MaRow | undefined => q.select().from(t).where(eq(t.id, id)).get();
export const listMas = (q: Q): MaRow[] => q.select().from(t).orderBy(t.createdAt).all();
export const getMas = (q: Q, ids: readonly string[]): MaRow[] =>
	ids.length === 0 ? [] : q.select().from(t).where(inArray(t.id, [...ids])).all();
export const setMaSettings = (q: Q, id: string, settings: string) =>
	q.update(t).set({ settings }).where(eq(t.id, id)).run();
export const renameMa = (q: Q, id: string, name: string) => q.update(t).set({ name }).where(eq(t.id, id)).run();
export const anyMaExists = (q: Q): boolean => q.select({ id: t.id }).from(t).limit(1).get() !== undefined;
