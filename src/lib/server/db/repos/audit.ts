/** The audit log: administrator actions and device results. */
import { and, desc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import { prepared } from '../prepared';
import { auditEvents as t } from '../schema';
import type { Q } from './types';

export type AuditRow = typeof t.$inferSelect;

type AuditInsert = Required<Omit<typeof t.$inferInsert, 'maId'>> & { maId: string | null };

/** Prepared: one audit row accompanies every result, so this insert is on the hot path. */
export const insertAudit = (q: Q, row: AuditInsert) =>
	prepared(q, 'insertAudit', (d) =>
		d
			.insert(t)
			.values({
				id: sql.placeholder('id'),
				maId: sql.placeholder('maId'),
				actorType: sql.placeholder('actorType'),
				actorId: sql.placeholder('actorId'),
				action: sql.placeholder('action'),
				targetType: sql.placeholder('targetType'),
				targetId: sql.placeholder('targetId'),
				outcome: sql.placeholder('outcome'),
				detail: sql.placeholder('detail'),
				at: sql.placeholder('at')
			})
			.prepare()
	).run(row);
export const listAudit = (q: Q, maId: string, limit = 100): AuditRow[] =>
	q.select().from(t).where(eq(t.maId, maId)).orderBy(desc(t.at)).limit(limit).all();
export const listAuditOfTarget = (q: Q, targetType: string, targetId: string): AuditRow[] =>
	q
		.select()
		.from(t)
		.where(and(eq(t.targetType, targetType), eq(t.targetId, targetId)))
		.orderBy(desc(t.at))
		.all();

export type AuditQuery = { actorType?: string; action?: string; outcome?: string; from?: number; to?: number; limit: number };
/** Where the previous page ended: the last row's time and ID (the sort key, newest first). */
export type AuditCursor = { at: number; id: string };

function auditWhere(maId: string, f: Omit<AuditQuery, 'limit'>): SQL | undefined {
	const where: SQL[] = [eq(t.maId, maId)];
	if (f.actorType) where.push(eq(t.actorType, f.actorType));
	if (f.action) where.push(eq(t.action, f.action));
	if (f.outcome) where.push(eq(t.outcome, f.outcome));
	if (f.from !== undefined) where.push(gte(t.at, f.from));
	if (f.to !== undefined) where.push(lte(t.at, f.to));
	return and(...where);
}

/** The MA's audit rows matching the filter, newest first (then by ID), after the cursor; (ma_id, at) is indexed. */
export function queryAudit(q: Q, maId: string, f: AuditQuery, after: AuditCursor | null = null): AuditRow[] {
	return q
		.select()
		.from(t)
		.where(and(auditWhere(maId, f), after ? sql`(${t.at}, ${t.id}) < (${after.at}, ${after.id})` : undefined))
		.orderBy(desc(t.at), desc(t.id))
		.limit(f.limit)
		.all();
}

/** How many of the MA's audit rows match the filter (the log's total): one COUNT. */
export function countAudit(q: Q, maId: string, f: Omit<AuditQuery, 'limit'>): number {
	const row = q
		.select({ n: sql<number>`count(*)` })
		.from(t)
		.where(auditWhere(maId, f))
		.get();
	return Number(row?.n ?? 0);
}

/** The distinct actions recorded for the MA, sorted. */
export const listAuditActions = (q: Q, maId: string): string[] =>
	q
		.selectDistinct({ action: t.action })
		.from(t)
		.where(eq(t.maId, maId))
		.orderBy(t.action)
		.all()
		.map((r) => r.action);
