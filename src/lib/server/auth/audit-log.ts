/**
 * Audit of administrator actions (sign-in, passkeys, invitations, roles, tokens, settings). Rows are written
 * by the one audit() (services/audit.ts); here the fan-out of an administrator's own actions to each of
 * their MAs and the filtered reading for the audit page.
 */
import * as repo from '../db/repos/audit';
import type { Q } from '../db/repos/types';
import { audit, type AuditEntry } from '../services/audit';
import { decodeAuditCursor } from './audit-cursor';
import { pageOf } from '../services/keyset-cursor';

export const AUTH_AUDIT_ACTIONS = [
	'ma.create',
	'admin.signin',
	'admin.signout',
	'admin.signout-everywhere',
	'passkey.add',
	'passkey.rename',
	'passkey.remove',
	'invitation.create',
	'invitation.revoke',
	'invitation.accept',
	'member.role',
	'member.remove',
	'member.join',
	'token.create',
	'token.revoke',
	'settings.update'
] as const;
export type AuthAuditAction = (typeof AUTH_AUDIT_ACTIONS)[number];

/** The one writer, here too for the auth flows and pages that import it from the audit log. */
export { audit };

export type AuditOutcome = 'ok' | 'denied' | 'failed';

/** One event per MA the administrator belongs to: each MA's owners see their administrators sign in. */
export function auditForEachMa(q: Q, at: number, maIds: readonly string[], e: Omit<AuditEntry, 'maId'>): void {
	if (maIds.length === 0) audit(q, at, { ...e, maId: null });
	for (const maId of maIds) audit(q, at, { ...e, maId });
}

export type AuditFilter = {
	actorType?: string;
	action?: string;
	outcome?: string;
	from?: number;
	to?: number;
	limit?: number;
};

export type { AuditRow } from '../db/repos/audit';

/** The MA's audit events, newest first, filtered. Always scoped to one MA (SCOMO-ADC-3). */
export function queryAudit(q: Q, maId: string, f: AuditFilter = {}): repo.AuditRow[] {
	return repo.queryAudit(q, maId, { ...f, limit: clampLimit(f.limit) });
}

const clampLimit = (limit: number | undefined) => Math.min(Math.max(limit ?? 200, 1), 1000);

export type AuditPage = { rows: repo.AuditRow[]; nextCursor: string | null; total: number };

/**
 * One keyset page of the MA's audit events matching the filter, newest first, with the total of all matches.
 * `cursor` is the previous page's `nextCursor`; one this log did not give out is null (the caller decides).
 */
export function auditPage(q: Q, maId: string, f: AuditFilter, cursor?: string): AuditPage | null {
	const after = cursor ? decodeAuditCursor(cursor) : null;
	if (cursor && !after) return null;
	const limit = clampLimit(f.limit);
	const page = pageOf(repo.queryAudit(q, maId, { ...f, limit: limit + 1 }, after), limit, (r) => [r.at, r.id]);
	return { ...page, total: repo.countAudit(q, maId, f) };
}

/** The distinct actions recorded for an MA (for the filter's choices). */
export const auditActionsOf = (q: Q, maId: string): string[] => repo.listAuditActions(q, maId);
