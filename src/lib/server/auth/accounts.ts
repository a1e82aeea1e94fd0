/**
 * Administrators, their passkeys and their memberships of MAs: the queries the auth flows and the
 * account/members pages need, over the administrators, passkeys and memberships repositories. No rules (the
 * rules are in the flows and the policy).
 */
import type { Q } from '../db/repos/types';
import * as adminsRepo from '../db/repos/administrators';
import * as passkeysRepo from '../db/repos/passkeys';
import * as membershipsRepo from '../db/repos/memberships';
import type { Actor, Role } from '../../core/policy';
import type { NewPasskey, StoredPasskey } from './webauthn';

export type { AdminRow } from '../db/repos/administrators';
export type { PasskeyRow } from '../db/repos/passkeys';
export type MembershipView = { maId: string; maName: string; role: Role; createdAt: number };

export const getAdmin = adminsRepo.getAdmin;

export function insertAdmin(q: Q, a: { id: string; displayName: string; userHandle: string }, now: number): void {
	adminsRepo.insertAdmin(q, { ...a, createdAt: now });
}

export function insertPasskey(q: Q, adminId: string, p: NewPasskey, name: string, now: number): void {
	passkeysRepo.insertPasskey(q, {
		id: p.id,
		adminId,
		publicKey: p.publicKey,
		counter: p.counter,
		transports: JSON.stringify(p.transports),
		name,
		deviceType: p.deviceType,
		backedUp: p.backedUp,
		createdAt: now
	});
}

export const getPasskey = passkeysRepo.getPasskey;
export const listPasskeys = passkeysRepo.listPasskeys;

export function storedPasskey(row: passkeysRepo.PasskeyRow): StoredPasskey {
	let transports: string[] = [];
	try {
		transports = JSON.parse(row.transports) as string[];
	} catch {
		transports = [];
	}
	return { id: row.id, publicKey: row.publicKey, counter: row.counter, transports };
}

export const markPasskeyUsed = passkeysRepo.markPasskeyUsed;
export const renamePasskey = passkeysRepo.renamePasskey;
export const deletePasskey = passkeysRepo.deletePasskey;

export function listMemberships(q: Q, adminId: string): MembershipView[] {
	return membershipsRepo.listMembershipsWithMaName(q, adminId) as MembershipView[];
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
	const rows = membershipsRepo.listMembersWithName(q, maId);
	const keys = passkeysRepo.listPasskeysOfAdmins(
		q,
		rows.map((r) => r.adminId)
	);
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

export const getMembership = membershipsRepo.getMembership;

export function insertMembership(q: Q, adminId: string, maId: string, role: Role, now: number): void {
	membershipsRepo.insertMembership(q, { adminId, maId, role, createdAt: now });
}

export const setMembershipRole = (q: Q, adminId: string, maId: string, role: Role) => membershipsRepo.setMembershipRole(q, adminId, maId, role);
export const deleteMembership = membershipsRepo.deleteMembership;
export const countOwners = (q: Q, maId: string): number => membershipsRepo.countMembersWithRole(q, maId, 'owner');

/** The policy's view of an administrator: who they are and their role in each MA. */
export function adminActor(q: Q, adminId: string): Extract<Actor, { type: 'admin' }> {
	const ms = membershipsRepo.listRolesOfAdmin(q, adminId);
	return { type: 'admin', id: adminId, memberships: ms.map((m) => ({ maId: m.maId, role: m.role as Role })) };
}

/** Display names of administrators by id (for the audit log). */
export function adminNames(q: Q, ids: readonly string[]): Map<string, string> {
	const rows = adminsRepo.listAdminNames(q, [...new Set(ids)]);
	return new Map(rows.map((r) => [r.id, r.displayName]));
}
