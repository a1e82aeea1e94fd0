/** The audit log: administrator actions and device results. */
import { and, desc, eq } from 'drizzle-orm';
import { auditEvents as t } from '../schema';
import type { Q } from './types';

export type AuditRow = typeof t.$inferSelect;

export const insertAudit = (q: Q, row: typeof t.$inferInsert) => q.insert(t).values(row).run();
export const listAudit = (q: Q, maId: string, limit = 100): AuditRow[] =>
	q.select().from(t).where(eq(t.maId, maId)).orderBy(desc(t.at)).limit(limit).all();
export const listAuditOfTarget = (q: Q, targetType: string, targetId: string): AuditRow[] =>
	q
		.select()
		.from(t)
		.where(and(eq(t.targetType, targetType), eq(t.targetId, targetId)))
		.orderBy(desc(t.at))
		.all();
