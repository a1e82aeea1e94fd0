/** Devices: identity key, device information and the baseline written once (SCOMO-HLFR-9). */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { prepared } from '../prepared';
import { devices as t, enrollments as e } from '../schema';
import type { Q } from './types';

export type DeviceRow = typeof t.$inferSelect;

export const insertDevice = (q: Q, row: typeof t.$inferInsert) => q.insert(t).values(row).run();
/** Prepared: every signed result and connection reads the device's key. */
export const getDevice = (q: Q, id: string): DeviceRow | undefined =>
	prepared(q, 'deviceById', (d) => d.select().from(t).where(eq(t.id, sql.placeholder('id'))).prepare()).get({ id });
export const getDeviceByPublicKey = (q: Q, publicKey: string): DeviceRow | undefined =>
	q.select().from(t).where(eq(t.publicKey, publicKey)).get();

/** Reported information; the baseline is deliberately not updatable here (SCOMO-HLFR-9). */
export const updateDeviceInfo = (
	q: Q,
	id: string,
	info: { manufacturer: string; model: string; softwareVersion: string }
) => q.update(t).set(info).where(eq(t.id, id)).run();

/** SCOMO-SEC-03: the ECDH P-256 key packages are sealed to. */
export const setDeviceEncryptionKey = (q: Q, id: string, encryptionKey: string) =>
	q.update(t).set({ encryptionKey }).where(eq(t.id, id)).run();

export const touchDevice = (q: Q, id: string, at: number) =>
	q.update(t).set({ lastSeenAt: at }).where(eq(t.id, id)).run();

export const revokeDevice = (q: Q, id: string, at: number) =>
	q.update(t).set({ revokedAt: at }).where(eq(t.id, id)).run();

/**
 * Which of these device IDs are enrolled with the MA now (not left, not revoked): the ADC-3 check of a new
 * operation, without reading the MA's whole fleet on every request (bench/, issue 9).
 */
export function enrolledDeviceIds(q: Q, maId: string, ids: readonly string[]): Set<string> {
	const out = new Set<string>();
	// Chunks keep each statement under SQLite's bound-parameter limit.
	for (let i = 0; i < ids.length; i += 500) {
		const chunk = ids.slice(i, i + 500);
		for (const r of q
			.select({ id: t.id })
			.from(t)
			.innerJoin(e, eq(e.deviceId, t.id))
			.where(and(eq(e.maId, maId), inArray(t.id, chunk), isNull(e.leftAt), isNull(t.revokedAt)))
			.all())
			out.add(r.id);
	}
	return out;
}

/** The enrolled baseline (SCOMO-HLFR-9) of each of these devices, by ID. */
export function baselinesOf(q: Q, ids: readonly string[]): Map<string, string> {
	const out = new Map<string, string>();
	for (let i = 0; i < ids.length; i += 500) {
		for (const r of q.select({ id: t.id, baseline: t.baselineBuildId }).from(t).where(inArray(t.id, ids.slice(i, i + 500))).all()) {
			out.set(r.id, r.baseline);
		}
	}
	return out;
}

