/**
 * Device groups of an MA and the members of its static groups (issue #17). Which devices a group holds is
 * read through the devices list (device-list.ts: `group == …` translates to a membership test), so members
 * that left the MA or were revoked drop out of every list and count without being deleted here.
 */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { deviceGroupMembers as m, deviceGroups as g, devices as d, enrollments as e } from '../schema';
import type { Q } from './types';

export type GroupRow = typeof g.$inferSelect;
export type GroupKind = 'static' | 'dynamic';
/** Where the previous page of groups ended: the last row's name and ID (the sort key). */
export type GroupCursor = { name: string; id: string };

export function insertGroup(q: Q, row: typeof g.$inferInsert): void {
	q.insert(g).values(row).run();
}

export function getGroup(q: Q, id: string): GroupRow | undefined {
	return q.select().from(g).where(eq(g.id, id)).get();
}

export function getGroupOfMa(q: Q, maId: string, id: string): GroupRow | undefined {
	return q.select().from(g).where(and(eq(g.maId, maId), eq(g.id, id))).get();
}

/** The MA's group of this name, ignoring case (names are unique per MA that way, as the filter reads them). */
export function findGroupByName(q: Q, maId: string, name: string): GroupRow | undefined {
	return q.select().from(g).where(and(eq(g.maId, maId), sql`lower(${g.name}) = lower(${name})`)).get();
}

/** One page of the MA's groups in name order (then ID), after the cursor. */
export function listGroupPage(q: Q, maId: string, after: GroupCursor | null, limit: number): GroupRow[] {
	const keyset = after ? sql`(${g.name}, ${g.id}) > (${after.name}, ${after.id})` : undefined;
	return q.select().from(g).where(and(eq(g.maId, maId), keyset)).orderBy(asc(g.name), asc(g.id)).limit(limit).all();
}

export function countGroups(q: Q, maId: string): number {
	const row = q.select({ n: sql<number>`count(*)` }).from(g).where(eq(g.maId, maId)).get();
	return Number(row?.n ?? 0);
}

export function updateGroup(q: Q, id: string, fields: Partial<Pick<GroupRow, 'name' | 'filter' | 'description' | 'updatedAt'>>): void {
	q.update(g).set(fields).where(eq(g.id, id)).run();
}

/** Deletes a group and its member rows (the foreign key cascades too; explicit, so neither engine relies on it). */
export function deleteGroup(q: Q, id: string): void {
	q.delete(m).where(eq(m.groupId, id)).run();
	q.delete(g).where(eq(g.id, id)).run();
}

/** Adds members; devices already in the group stay as they were. Returns how many were new. */
export function addMembers(q: Q, groupId: string, deviceIds: readonly string[], at: number): number {
	let added = 0;
	for (let i = 0; i < deviceIds.length; i += 500) {
		const chunk = deviceIds.slice(i, i + 500);
		added += q
			.insert(m)
			.values(chunk.map((deviceId) => ({ groupId, deviceId, addedAt: at })))
			.onConflictDoNothing()
			.run().changes;
	}
	return added;
}

/** Removes members; returns how many were members. */
export function removeMembers(q: Q, groupId: string, deviceIds: readonly string[]): number {
	let removed = 0;
	for (let i = 0; i < deviceIds.length; i += 500) {
		removed += q
			.delete(m)
			.where(and(eq(m.groupId, groupId), inArray(m.deviceId, deviceIds.slice(i, i + 500))))
			.run().changes;
	}
	return removed;
}

/** Which of these devices are enrolled with the MA now (not left, not revoked): only those may be members. */
export function enrolledAmong(q: Q, maId: string, deviceIds: readonly string[]): Set<string> {
	const out = new Set<string>();
	for (let i = 0; i < deviceIds.length; i += 500) {
		const rows = q
			.select({ id: e.deviceId })
			.from(e)
			.innerJoin(d, eq(d.id, e.deviceId))
			.where(and(eq(e.maId, maId), isNull(e.leftAt), isNull(d.revokedAt), inArray(e.deviceId, deviceIds.slice(i, i + 500))))
			.all();
		for (const r of rows) out.add(r.id);
	}
	return out;
}

/** The MA's static groups a device is a member of, in name order. */
export function staticGroupsOfDevice(q: Q, maId: string, deviceId: string): { id: string; name: string }[] {
	return q
		.select({ id: g.id, name: g.name })
		.from(m)
		.innerJoin(g, eq(g.id, m.groupId))
		.where(and(eq(m.deviceId, deviceId), eq(g.maId, maId)))
		.orderBy(asc(g.name), asc(g.id))
		.all();
}

/** Takes a device out of every static group of one MA (a device leaving the MA; call inside its transaction). */
export function removeDeviceFromMaGroups(q: Q, maId: string, deviceId: string): void {
	q.delete(m)
		.where(and(eq(m.deviceId, deviceId), inArray(m.groupId, q.select({ id: g.id }).from(g).where(eq(g.maId, maId)))))
		.run();
}
