/** The current MA's audit log ('read' on 'audit'), filtered by actor type, action, outcome and time (UTC days). */
import { appContext } from '$lib/server/app-context';
import { requireAccess } from '$lib/server/auth/guard';
import { auditActionsOf, queryAudit } from '$lib/server/auth/audit-log';
import { adminNames } from '$lib/server/auth/accounts';
import type { PageServerLoad } from './$types';

const ACTOR_TYPES = ['admin', 'token', 'device', 'system'];
const OUTCOMES = ['ok', 'denied', 'failed'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const load: PageServerLoad = ({ locals, url }) => {
	const { maId } = requireAccess(locals, url, 'read', 'audit');
	const p = url.searchParams;
	const actorType = ACTOR_TYPES.includes(p.get('actorType') ?? '') ? p.get('actorType')! : '';
	const action = (p.get('action') ?? '').slice(0, 80);
	const outcome = (p.get('outcome') ?? '').slice(0, 20);
	const from = DAY.test(p.get('from') ?? '') ? p.get('from')! : '';
	const to = DAY.test(p.get('to') ?? '') ? p.get('to')! : '';
	const db = appContext().store.db;
	const rows = queryAudit(db, maId, {
		actorType: actorType || undefined,
		action: action || undefined,
		outcome: outcome || undefined,
		from: from ? Date.parse(`${from}T00:00:00Z`) : undefined,
		to: to ? Date.parse(`${to}T23:59:59.999Z`) : undefined,
		limit: 300
	});
	// People read names, not ids: administrators are shown by their display name.
	const names = adminNames(db, rows.filter((r) => r.actorType === 'admin').map((r) => r.actorId));
	return {
		filter: { actorType, action, outcome, from, to },
		actorTypes: ACTOR_TYPES,
		outcomes: OUTCOMES,
		actions: auditActionsOf(db, maId),
		events: rows.map((r) => ({
			id: r.id,
			at: r.at,
			actorType: r.actorType,
			actorId: r.actorId,
			actorName: r.actorType === 'admin' ? (names.get(r.actorId) ?? null) : null,
			action: r.action,
			target: r.targetType ? `${r.targetType} ${r.targetId}` : '',
			outcome: r.outcome,
			detail: r.detail === '{}' ? '' : r.detail
		}))
	};
};
