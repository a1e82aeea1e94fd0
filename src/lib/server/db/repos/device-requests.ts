/** Device-initiated requests (SCOMO-Device-06). */
import { and, desc, eq } from 'drizzle-orm';
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
