/** The audit log's filters read from a URL and the matching events: one keyset page for the page, the newest for its CSV export. */
import { auditActionsOf, auditPage, queryAudit, type AuditRow } from '$lib/server/auth/audit-log';
import { adminNames } from '$lib/server/auth/accounts';
import type { AuditEventView } from '$lib/admin-ui/audit-words';
import type { Db } from '$lib/server/db/open';

export const ACTOR_TYPES = ['admin', 'token', 'device', 'system'];
export const OUTCOMES = ['ok', 'denied', 'refused', 'failed'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The filters in a URL (unknown values read as "any"), both as the form shows them and as the query takes them. */
function filterOf(p: URLSearchParams) {
	const actorType = ACTOR_TYPES.includes(p.get('actorType') ?? '') ? p.get('actorType')! : '';
	const action = (p.get('action') ?? '').slice(0, 80);
	const outcome = (p.get('outcome') ?? '').slice(0, 20);
	const from = DAY.test(p.get('from') ?? '') ? p.get('from')! : '';
	const to = DAY.test(p.get('to') ?? '') ? p.get('to')! : '';
	const query = {
		actorType: actorType || undefined,
		action: action || undefined,
		outcome: outcome || undefined,
		from: from ? Date.parse(`${from}T00:00:00Z`) : undefined,
		to: to ? Date.parse(`${to}T23:59:59.999Z`) : undefined
	};
	return { shown: { actorType, action, outcome, from, to }, query };
}

/** The newest events matching the URL's filters (the CSV export: no cursor). */
export function auditQuery(db: Db, maId: string, p: URLSearchParams, limit: number) {
	const { shown, query } = filterOf(p);
	return { filter: shown, actions: auditActionsOf(db, maId), events: eventsOf(db, queryAudit(db, maId, { ...query, limit })) };
}

/**
 * One keyset page of the events matching the URL's filters, after its `cursor`, with the total. A cursor
 * that is not one of ours (an edited link) shows the first page rather than an error page.
 */
export function auditPageQuery(db: Db, maId: string, p: URLSearchParams, limit: number) {
	const { shown, query } = filterOf(p);
	const cursor = p.get('cursor') ?? '';
	const paged = cursor ? auditPage(db, maId, { ...query, limit }, cursor) : null;
	const page = paged ?? auditPage(db, maId, { ...query, limit })!;
	return {
		filter: shown,
		actions: auditActionsOf(db, maId),
		events: eventsOf(db, page.rows),
		total: page.total,
		nextCursor: page.nextCursor,
		paged: paged !== null
	};
}

function eventsOf(db: Db, rows: AuditRow[]): (AuditEventView & { id: string })[] {
	// People read names, not ids: administrators are shown by their display name.
	const names = adminNames(db, rows.filter((r) => r.actorType === 'admin').map((r) => r.actorId));
	return rows.map((r) => ({
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
}

function parseDetail(s: string): Record<string, unknown> {
	try {
		const v = JSON.parse(s) as unknown;
		return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
	} catch {
		return {};
	}
}
