/** The audit log: administrator actions and device results. */
import { and, desc, eq, sql } from 'drizzle-orm';
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
