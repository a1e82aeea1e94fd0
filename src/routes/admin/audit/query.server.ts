/** The audit log's filters read from a URL and the matching events, for the page and its CSV export alike. */
import { auditActionsOf, queryAudit } from '$lib/server/auth/audit-log';
import { adminNames } from '$lib/server/auth/accounts';
import type { AuditEventView } from '$lib/admin-ui/audit-words';
import type { Db } from '$lib/server/db/open';

export const ACTOR_TYPES = ['admin', 'token', 'device', 'system'];
export const OUTCOMES = ['ok', 'denied', 'refused', 'failed'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function auditQuery(db: Db, maId: string, p: URLSearchParams, limit: number) {
	const actorType = ACTOR_TYPES.includes(p.get('actorType') ?? '') ? p.get('actorType')! : '';
	const action = (p.get('action') ?? '').slice(0, 80);
	const outcome = (p.get('outcome') ?? '').slice(0, 20);
	const from = DAY.test(p.get('from') ?? '') ? p.get('from')! : '';
	const to = DAY.test(p.get('to') ?? '') ? p.get('to')! : '';
	const rows = queryAudit(db, maId, {
		actorType: actorType || undefined,
		action: action || undefined,
		outcome: outcome || undefined,
		from: from ? Date.parse(`${from}T00:00:00Z`) : undefined,
		to: to ? Date.parse(`${to}T23:59:59.999Z`) : undefined,
		limit
	});
	// People read names, not ids: administrators are shown by their display name.
	const names = adminNames(db, rows.filter((r) => r.actorType === 'admin').map((r) => r.actorId));
	const events: (AuditEventView & { id: string })[] = rows.map((r) => ({
		id: r.id,
		at: r.at,
		actorType: r.actorType,
		actorId: r.actorId,
		actorName: r.actorType === 'admin' ? (names.get(r.actorId) ?? null) : null,
		action: r.action,
		targetType: r.targetType,
		targetId: r.targetId,
		outcome: r.outcome,
		detail: parseDetail(r.detail)
	}));
	return { filter: { actorType, action, outcome, from, to }, actions: auditActionsOf(db, maId), events };
}

function parseDetail(s: string): Record<string, unknown> {
	try {
		const v = JSON.parse(s) as unknown;
		return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
	} catch {
		return {};
	}
}
