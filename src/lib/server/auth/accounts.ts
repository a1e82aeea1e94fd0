/**
 * Administrators, their passkeys and their memberships of MAs: the queries the auth flows and the
 * account/members pages need. Thin drizzle queries, no rules (the rules are in the flows and the policy).
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Q } from '../db/repos/types';
import { administrators, memberships, passkeys } from '../db/schema-auth';
import { managementAuthorities } from '../db/schema';
import type { Actor, Role } from '../../core/policy';
import type { NewPasskey, StoredPasskey } from './webauthn';


export type AdminRow = typeof administrators.$inferSelect;
export type PasskeyRow = typeof passkeys.$inferSelect;
export type MembershipView = { maId: string; maName: string; role: Role; createdAt: number };

export const getAdmin = (q: Q, id: string): AdminRow | undefined =>
	q.select().from(administrators).where(eq(administrators.id, id)).get();

export function insertAdmin(q: Q, a: { id: string; displayName: string; userHandle: string }, now: number): void {
	q.insert(administrators).values({ ...a, createdAt: now }).run();
}

export function insertPasskey(q: Q, adminId: string, p: NewPasskey, name: string, now: number): void {
	q.insert(passkeys)
		.values({
			id: p.id,
			adminId,
			publicKey: p.publicKey,
			counter: p.counter,
			transports: JSON.stringify(p.transports),
			name,
			deviceType: p.deviceType,
			backedUp: p.backedUp,
			createdAt: now
		})
		.run();
}

export const getPasskey = (q: Q, id: string): PasskeyRow | undefined =>
	q.select().from(passkeys).where(eq(passkeys.id, id)).get();

export const listPasskeys = (q: Q, adminId: string): PasskeyRow[] =>
	q.select().from(passkeys).where(eq(passkeys.adminId, adminId)).orderBy(asc(passkeys.createdAt)).all();

export function storedPasskey(row: PasskeyRow): StoredPasskey {
	let transports: string[] = [];
	try {
		transports = JSON.parse(row.transports) as string[];
	} catch {
		transports = [];
	}
	return { id: row.id, publicKey: row.publicKey, counter: row.counter, transports };
}

export const markPasskeyUsed = (q: Q, id: string, counter: number, now: number) =>
	q.update(passkeys).set({ counter, lastUsedAt: now }).where(eq(passkeys.id, id)).run();

export const renamePasskey = (q: Q, adminId: string, id: string, name: string) =>
	q
		.update(passkeys)
		.set({ name })
		.where(and(eq(passkeys.id, id), eq(passkeys.adminId, adminId)))
		.run().changes;

export const deletePasskey = (q: Q, adminId: string, id: string) =>
	q
		.delete(passkeys)
		.where(and(eq(passkeys.id, id), eq(passkeys.adminId, adminId)))
		.run().changes;

export function listMemberships(q: Q, adminId: string): MembershipView[] {
	return q
		.select({
			maId: memberships.maId,
			maName: managementAuthorities.name,
			role: memberships.role,
			createdAt: memberships.createdAt
		})
		.from(memberships)
		.innerJoin(managementAuthorities, eq(managementAuthorities.id, memberships.maId))
		.where(eq(memberships.adminId, adminId))
		.orderBy(asc(memberships.createdAt))
		.all() as MembershipView[];
}

export type MemberView = {
	adminId: string;
	displayName: string;
	role: Role;
	joinedAt: number;
	passkeys: number;
	lastUsedAt: number | null;
};

/** The members of one MA with how many passkeys they hold and when one was last used. */
export function listMembers(q: Q, maId: string): MemberView[] {
	const rows = q
		.select({
			adminId: memberships.adminId,
			displayName: administrators.displayName,
			role: memberships.role,
			joinedAt: memberships.createdAt
		})
		.from(memberships)
		.innerJoin(administrators, eq(administrators.id, memberships.adminId))
		.where(eq(memberships.maId, maId))
		.orderBy(asc(memberships.createdAt))
		.all();
	const ids = rows.map((r) => r.adminId);
	const keys =
		ids.length === 0
			? []
			: q
					.select({ adminId: passkeys.adminId, lastUsedAt: passkeys.lastUsedAt })
					.from(passkeys)
					.where(inArray(passkeys.adminId, ids))
					.all();
	return rows.map((r) => {
		const mine = keys.filter((k) => k.adminId === r.adminId);
		const used = mine.map((k) => k.lastUsedAt).filter((x): x is number => x !== null);
		return {
			...r,
			role: r.role as Role,
			passkeys: mine.length,
			lastUsedAt: used.length ? Math.max(...used) : null
		};
	});
}

export const getMembership = (q: Q, adminId: string, maId: string) =>
	q
		.select()
		.from(memberships)
		.where(and(eq(memberships.adminId, adminId), eq(memberships.maId, maId)))
		.get();

export function insertMembership(q: Q, adminId: string, maId: string, role: Role, now: number): void {
	q.insert(memberships).values({ adminId, maId, role, createdAt: now }).run();
}

export const setMembershipRole = (q: Q, adminId: string, maId: string, role: Role) =>
	q
		.update(memberships)
		.set({ role })
		.where(and(eq(memberships.adminId, adminId), eq(memberships.maId, maId)))
		.run().changes;

export const deleteMembership = (q: Q, adminId: string, maId: string) =>
	q
		.delete(memberships)
		.where(and(eq(memberships.adminId, adminId), eq(memberships.maId, maId)))
		.run().changes;

export const countOwners = (q: Q, maId: string): number =>
	q
		.select({ a: memberships.adminId })
		.from(memberships)
		.where(and(eq(memberships.maId, maId), eq(memberships.role, 'owner')))
		.all().length;

/** The policy's view of an administrator: who they are and their role in each MA. */
export function adminActor(q: Q, adminId: string): Extract<Actor, { type: 'admin' }> {
	const ms = q
		.select({ maId: memberships.maId, role: memberships.role })
		.from(memberships)
		.where(eq(memberships.adminId, adminId))
		.all();
	return { type: 'admin', id: adminId, memberships: ms.map((m) => ({ maId: m.maId, role: m.role as Role })) };
}

/** Display names of administrators by id (for the audit log). */
export function adminNames(q: Q, ids: readonly string[]): Map<string, string> {
	const unique = [...new Set(ids)];
	if (unique.length === 0) return new Map();
	const rows = q
		.select({ id: administrators.id, displayName: administrators.displayName })
		.from(administrators)
		.where(inArray(administrators.id, unique))
		.all();
	return new Map(rows.map((r) => [r.id, r.displayName]));
}
