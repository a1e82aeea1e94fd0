/**
 * Audit of administrator actions (sign-in, passkeys, invitations, roles, tokens, settings): who (actor),
 * in which MA, on what (target), when, with which outcome. Writes go through the shared audit repository;
 * the filtered reading for the audit page lives here.
 */
import { and, desc, eq, gte, lte, type SQL } from 'drizzle-orm';
import { auditEvents } from '../db/schema';
import { insertAudit } from '../db/repos/audit';
import type { Q } from '../db/repos/types';
import { newId } from '../ids';
import type { Actor } from '../../core/policy';

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

export type AuditOutcome = 'ok' | 'denied' | 'failed';

export type AuditEntry = {
	maId: string | null;
	actor: Pick<Actor, 'type' | 'id'> | { type: 'system'; id: string };
	action: string;
	target?: { type: string; id: string };
	outcome: AuditOutcome | string;
	detail?: Record<string, unknown>;
};

export function audit(q: Q, e: AuditEntry, now = Date.now()): void {
	insertAudit(q, {
		id: newId(),
		maId: e.maId,
		actorType: e.actor.type,
		actorId: e.actor.id,
		action: e.action,
		targetType: e.target?.type ?? '',
		targetId: e.target?.id ?? '',
		outcome: String(e.outcome),
		detail: JSON.stringify(e.detail ?? {}),
		at: now
	});
}

/** One event per MA the administrator belongs to: each MA's owners see their administrators sign in. */
export function auditForEachMa(q: Q, maIds: readonly string[], e: Omit<AuditEntry, 'maId'>, now = Date.now()): void {
	if (maIds.length === 0) audit(q, { ...e, maId: null }, now);
	for (const maId of maIds) audit(q, { ...e, maId }, now);
}

export type AuditFilter = {
	actorType?: string;
	action?: string;
	outcome?: string;
	from?: number;
	to?: number;
	limit?: number;
};

export type AuditRow = typeof auditEvents.$inferSelect;

/** The MA's audit events, newest first, filtered. Always scoped to one MA (SCOMO-ADC-3). */
export function queryAudit(q: Q, maId: string, f: AuditFilter = {}): AuditRow[] {
	const where: SQL[] = [eq(auditEvents.maId, maId)];
	if (f.actorType) where.push(eq(auditEvents.actorType, f.actorType));
	if (f.action) where.push(eq(auditEvents.action, f.action));
	if (f.outcome) where.push(eq(auditEvents.outcome, f.outcome));
	if (f.from !== undefined) where.push(gte(auditEvents.at, f.from));
	if (f.to !== undefined) where.push(lte(auditEvents.at, f.to));
	return q
		.select()
		.from(auditEvents)
		.where(and(...where))
		.orderBy(desc(auditEvents.at))
		.limit(Math.min(Math.max(f.limit ?? 200, 1), 1000))
		.all();
}

/** The distinct actions recorded for an MA (for the filter's choices). */
export function auditActionsOf(q: Q, maId: string): string[] {
	return q
		.selectDistinct({ action: auditEvents.action })
		.from(auditEvents)
		.where(eq(auditEvents.maId, maId))
		.orderBy(auditEvents.action)
		.all()
		.map((r) => r.action);
}
