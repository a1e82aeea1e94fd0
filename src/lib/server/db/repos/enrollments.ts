/** Device ↔ MA enrollments; a device may be enrolled with several MAs. */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { prepared } from '../prepared';
import { enrollments as t } from '../schema';
import type { Q } from './types';

export type EnrollmentRow = typeof t.$inferSelect;

export const getEnrollment = (q: Q, deviceId: string, maId: string): EnrollmentRow | undefined =>
	q.select().from(t).where(and(eq(t.deviceId, deviceId), eq(t.maId, maId))).get();

export const insertEnrollment = (q: Q, row: typeof t.$inferInsert) => q.insert(t).values(row).run();

/** Re-enrolling after leaving: the same row comes back to life. */
export const reactivateEnrollment = (q: Q, deviceId: string, maId: string, at: number, name: string) =>
	q
		.update(t)
		.set({ enrolledAt: at, leftAt: null, name })
		.where(and(eq(t.deviceId, deviceId), eq(t.maId, maId)))
		.run();

/** The MAs a device is currently enrolled with. */
export const activeMaIdsOfDevice = (q: Q, deviceId: string): string[] =>
	// Prepared: every event a device sends is authorised against its MAs.
	prepared(q, 'activeMaIdsOfDevice', (d) =>
		d
			.select({ maId: t.maId })
			.from(t)
			.where(and(eq(t.deviceId, sql.placeholder('deviceId')), isNull(t.leftAt)))
			.prepare()
	)
		.all({ deviceId })
		.map((r) => r.maId);

/** The device leaves the MA (the row stays, for re-enrollment). */
export const leaveEnrollment = (q: Q, deviceId: string, maId: string, at: number) =>
	q
		.update(t)
		.set({ leftAt: at })
		.where(and(eq(t.deviceId, deviceId), eq(t.maId, maId)))
		.run();

/** The MA's name and notes of a device it enrolled (each field only when given). */
export const setIdentity = (q: Q, deviceId: string, maId: string, fields: { name?: string; notes?: string }) =>
	q
		.update(t)
		.set(fields)
		.where(and(eq(t.deviceId, deviceId), eq(t.maId, maId)))
		.run();
