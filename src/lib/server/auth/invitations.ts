/**
 * Owners invite administrators to their MA with a role. The link carries a random token; only its
 * SHA-256 is stored. An invitation is used once (the first redeemer wins, atomically), expires, and can
 * be revoked.
 */
import * as repo from '../db/repos/invitations';
import type { Q } from '../db/repos/types';
import { hashSecret, newId, newSecret } from '../ids';
import type { Role } from '../../core/policy';

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const INVITATION_MIN_TTL_MS = 10 * 60 * 1000;

export type { InvitationRow } from '../db/repos/invitations';
type InvitationRow = repo.InvitationRow;

export type InvitationStatus = 'pending' | 'used' | 'revoked' | 'expired';

/** Pure: where an invitation stands at `now`. */
export function invitationStatus(i: Pick<InvitationRow, 'usedAt' | 'revokedAt' | 'expiresAt'>, now: number): InvitationStatus {
	if (i.usedAt !== null) return 'used';
	if (i.revokedAt !== null) return 'revoked';
	if (now >= i.expiresAt) return 'expired';
	return 'pending';
}

export function createInvitation(
	q: Q,
	inv: { maId: string; role: Role; createdBy: string; label?: string; ttlMs?: number },
	now: number
): { id: string; token: string; expiresAt: number } {
	const token = newSecret(32);
	const id = newId();
	const ttl = Math.max(INVITATION_MIN_TTL_MS, Math.min(inv.ttlMs ?? INVITATION_TTL_MS, 30 * 24 * 3600 * 1000));
	const expiresAt = now + ttl;
	repo.insertInvitation(q, {
		id,
		maId: inv.maId,
		role: inv.role,
		tokenHash: hashSecret(token),
		label: inv.label ?? '',
		createdBy: inv.createdBy,
		createdAt: now,
		expiresAt
	});
	return { id, token, expiresAt };
}

export type InvitationView = { id: string; maId: string; maName: string; role: Role; status: InvitationStatus; expiresAt: number };

/** The invitation behind a link's token (whatever its status), with the MA's name; null when unknown. */
export function findInvitationByToken(q: Q, token: string, now: number): InvitationView | null {
	if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
	const row = repo.getInvitationByTokenHash(q, hashSecret(token));
	if (!row) return null;
	return {
		id: row.i.id,
		maId: row.i.maId,
		maName: row.maName,
		role: row.i.role as Role,
		status: invitationStatus(row.i, now),
		expiresAt: row.i.expiresAt
	};
}

/**
 * Mark the invitation (by token hash) used by `adminId`, only if it is still pending. Returns the MA and
 * role, or null when someone else was first or it is no longer valid. Call inside the transaction that
 * creates the membership.
 */
export function redeemInvitation(q: Q, tokenHash: string, adminId: string, now: number): { maId: string; role: Role; id: string } | null {
	const row = repo.usePendingInvitation(q, tokenHash, adminId, now);
	return row ? { maId: row.maId, role: row.role as Role, id: row.id } : null;
}

export const listInvitations = (q: Q, maId: string): InvitationRow[] => repo.listInvitations(q, maId, 100);

/** Revoke a pending invitation of this MA; 0 when there was none to revoke. */
export const revokeInvitation = (q: Q, maId: string, id: string, now: number): number => repo.revokePendingInvitation(q, maId, id, now);
