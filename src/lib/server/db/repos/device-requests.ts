/** Device-initiated requests (SCOMO-Device-06). */
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { deviceRequests as t } from '../schema';
import type { Q } from './types';

export type DeviceRequestRow = typeof t.$inferSelect;

export const insertDeviceRequest = (q: Q, row: typeof t.$inferInsert) => q.insert(t).values(row).run();
export const getDeviceRequest = (q: Q, id: string): DeviceRequestRow | undefined =>
	q.select().from(t).where(eq(t.id, id)).get();
export const listDeviceRequests = (q: Q, maId: string, status?: string): DeviceRequestRow[] =>
	q
		.select()
		.from(t)
		.where(status ? and(eq(t.maId, maId), eq(t.status, status)) : eq(t.maId, maId))
		.orderBy(desc(t.createdAt))
		.all();

/** Where the previous page ended: the last request's creation time and ID (newest first). */
export type DeviceRequestCursor = { createdAt: number; id: string };
const requestsWhere = (maId: string, status?: string): SQL | undefined => and(eq(t.maId, maId), status ? eq(t.status, status) : undefined);

/** One page of the MA's requests (optionally in one status), newest first, after the cursor. */
export const listDeviceRequestPage = (q: Q, maId: string, status: string | undefined, after: DeviceRequestCursor | null, limit: number): DeviceRequestRow[] =>
	q
		.select()
		.from(t)
		.where(and(requestsWhere(maId, status), after ? sql`(${t.createdAt}, ${t.id}) < (${after.createdAt}, ${after.id})` : undefined))
		.orderBy(desc(t.createdAt), desc(t.id))
		.limit(limit)
		.all();
export const countDeviceRequests = (q: Q, maId: string, status?: string): number =>
	Number(q.select({ n: sql<number>`count(*)` }).from(t).where(requestsWhere(maId, status)).get()?.n ?? 0);

/** Decides a pending request only; `changes` is 0 when it was already decided. */
export const decideDeviceRequest = (
	q: Q,
	id: string,
	status: 'approved' | 'refused',
	operationId: string | null,
	at: number
) =>
	q
		.update(t)
		.set({ status, operationId, decidedAt: at })
		.where(and(eq(t.id, id), eq(t.status, 'pending')))
		.run();
