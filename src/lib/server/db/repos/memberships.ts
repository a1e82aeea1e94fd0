/** Memberships: an administrator's role in an MA. */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { administrators, memberships as t } from '../schema-auth';
import { managementAuthorities } from '../schema';
import type { Q } from './types';

export type MembershipRow = typeof t.$inferSelect;

export const getMembership = (q: Q, adminId: string, maId: string): MembershipRow | undefined =>
	q
		.select()
		.from(t)
		.where(and(eq(t.adminId, adminId), eq(t.maId, maId)))
		.get();
export const insertMembership = (q: Q, row: typeof t.$inferInsert) => q.insert(t).values(row).run();
/** Returns the rows changed. */
export const setMembershipRole = (q: Q, adminId: string, maId: string, role: string): number =>
	q
		.update(t)
		.set({ role })
		.where(and(eq(t.adminId, adminId), eq(t.maId, maId)))
		.run().changes;
/** Returns the rows changed. */
export const deleteMembership = (q: Q, adminId: string, maId: string): number =>
	q
		.delete(t)
		.where(and(eq(t.adminId, adminId), eq(t.maId, maId)))
		.run().changes;
/** The administrator's memberships (MA and role). */
export const listRolesOfAdmin = (q: Q, adminId: string): { maId: string; role: string }[] =>
	q.select({ maId: t.maId, role: t.role }).from(t).where(eq(t.adminId, adminId)).all();
/** The administrator's memberships with each MA's name, oldest first. */
export const listMembershipsWithMaName = (q: Q, adminId: string): { maId: string; maName: string; role: string; createdAt: number }[] =>
	q
		.select({ maId: t.maId, maName: managementAuthorities.name, role: t.role, createdAt: t.createdAt })
		.from(t)
		.innerJoin(managementAuthorities, eq(managementAuthorities.id, t.maId))
		.where(eq(t.adminId, adminId))
		.orderBy(asc(t.createdAt))
		.all();
/** The MA's members with their display names, oldest first. */
export const listMembersWithName = (q: Q, maId: string): { adminId: string; displayName: string; role: string; joinedAt: number }[] =>
	q
		.select({ adminId: t.adminId, displayName: administrators.displayName, role: t.role, joinedAt: t.createdAt })
		.from(t)
		.innerJoin(administrators, eq(administrators.id, t.adminId))
		.where(eq(t.maId, maId))
		.orderBy(asc(t.createdAt))
		.all();
/** The administrators holding one of these roles in the MA. */
export const adminIdsWithRole = (q: Q, maId: string, roles: readonly string[]): string[] =>
	q
		.select({ adminId: t.adminId })
		.from(t)
		.where(and(eq(t.maId, maId), inArray(t.role, [...roles])))
		.all()
		.map((m) => m.adminId);
export const countMembersWithRole = (q: Q, maId: string, role: string): number =>
	q
		.select({ a: t.adminId })
		.from(t)
		.where(and(eq(t.maId, maId), eq(t.role, role)))
		.all().length;
