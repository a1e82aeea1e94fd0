/**
 * Device decommissions (issue #17): the MA-signed messages telling a device to erase an MA's data, and the
 * erasure of the MA's per-device data on the server. Thin queries; the rules are in services/decommission.ts.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { deviceRequests, deviceTags, enrollments, inventory, inventoryReportSeqs } from '../schema';
import { deviceDecommissions as t } from '../schema-security';
import type { Q } from './types';

export type DecommissionRow = typeof t.$inferSelect;

export const insertDecommission = (q: Q, row: typeof t.$inferInsert) => q.insert(t).values(row).run();

export const getDecommission = (q: Q, id: string): DecommissionRow | undefined => q.select().from(t).where(eq(t.id, id)).get();

/** What is still to be delivered to a device: not acked, not superseded by a re-enrollment. */
export const pendingOfDevice = (q: Q, deviceId: string): DecommissionRow[] =>
	q
		.select()
		.from(t)
		.where(and(eq(t.deviceId, deviceId), isNull(t.ackedAt), isNull(t.supersededAt)))
		.all();

/** The device confirmed the erasure (only the first ack counts). */
export const markAcked = (q: Q, id: string, at: number, erased: readonly string[]) =>
	q
		.update(t)
		.set({ ackedAt: at, erased: JSON.stringify(erased) })
		.where(and(eq(t.id, id), isNull(t.ackedAt)))
		.run();

/** The device enrolled with the MA again before it acked: the old decommission is never sent. */
export const supersedePending = (q: Q, deviceId: string, maId: string, at: number) =>
	q
		.update(t)
		.set({ supersededAt: at })
		.where(and(eq(t.deviceId, deviceId), eq(t.maId, maId), isNull(t.ackedAt), isNull(t.supersededAt)))
		.run();

/**
 * Erases what the MA knows of the device beyond the records: its inventory of the MA's components (and their
 * report sequences), the MA's name, notes and tags of it, and its pending requests to the MA. Call inside the
 * transaction that ends the enrollment.
 */
export function eraseMaDataOfDevice(q: Q, deviceId: string, maId: string): { components: number; tags: number; requests: number } {
	const components = q.delete(inventory).where(and(eq(inventory.deviceId, deviceId), eq(inventory.maId, maId))).run().changes;
	q.delete(inventoryReportSeqs).where(and(eq(inventoryReportSeqs.deviceId, deviceId), eq(inventoryReportSeqs.maId, maId))).run();
	const tags = q.delete(deviceTags).where(and(eq(deviceTags.deviceId, deviceId), eq(deviceTags.maId, maId))).run().changes;
	const requests = q
		.delete(deviceRequests)
		.where(and(eq(deviceRequests.deviceId, deviceId), eq(deviceRequests.maId, maId), eq(deviceRequests.status, 'pending')))
		.run().changes;
	q.update(enrollments)
		.set({ name: '', notes: '' })
		.where(and(eq(enrollments.deviceId, deviceId), eq(enrollments.maId, maId)))
		.run();
	return { components, tags, requests };
}
