/** Tags an MA put on its devices (key, or key=value); each MA sees and edits only its own. */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { deviceTags as t } from '../schema';
import type { Q } from './types';

export type DeviceTagRow = typeof t.$inferSelect;

/** The MA's tags of each of these devices (only devices that have some appear). */
export function tagsOf(q: Q, maId: string, deviceIds: readonly string[]): Map<string, { key: string; value: string | null }[]> {
	const out = new Map<string, { key: string; value: string | null }[]>();
	for (let i = 0; i < deviceIds.length; i += 500) {
		const rows = q
			.select()
			.from(t)
			.where(and(eq(t.maId, maId), inArray(t.deviceId, deviceIds.slice(i, i + 500))))
			.orderBy(asc(t.key))
			.all();
		for (const r of rows) {
			const list = out.get(r.deviceId) ?? [];
			list.push({ key: r.key, value: r.value });
			out.set(r.deviceId, list);
		}
	}
	return out;
}

/** Replaces the MA's whole tag set of one device (call inside a transaction). */
export function replaceTags(q: Q, deviceId: string, maId: string, tags: readonly { key: string; value: string | null }[]): void {
	q.delete(t).where(and(eq(t.deviceId, deviceId), eq(t.maId, maId))).run();
	if (tags.length > 0) q.insert(t).values(tags.map((x) => ({ deviceId, maId, key: x.key, value: x.value }))).run();
}
