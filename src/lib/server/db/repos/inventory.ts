/** Each device's inventory as last reported (SCOMO Inventory/Delivered and Inventory/Deployed). */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { prepared } from '../prepared';
import { enrollments, inventory as t, inventoryReportSeqs as seqs } from '../schema';
import type { Q } from './types';

export type InventoryRow = typeof t.$inferSelect;

export const listInventory = (q: Q, deviceId: string): InventoryRow[] =>
	q.select().from(t).where(eq(t.deviceId, deviceId)).orderBy(asc(t.componentId)).all();

/** SCOMO-ADC-3: one indexed predicate keeps every MA to its own components. */
export const listInventoryOfMa = (q: Q, deviceId: string, maId: string): InventoryRow[] =>
	q
		.select()
		.from(t)
		.where(and(eq(t.deviceId, deviceId), eq(t.maId, maId)))
		.orderBy(asc(t.componentId))
		.all();

export const deleteInventoryOfDevice = (q: Q, deviceId: string) => q.delete(t).where(eq(t.deviceId, deviceId)).run();
export const deleteInventoryOfDeviceMa = (q: Q, deviceId: string, maId: string) =>
	q.delete(t).where(and(eq(t.deviceId, deviceId), eq(t.maId, maId))).run();
const ph = {
	deviceId: sql.placeholder('deviceId'),
	maId: sql.placeholder('maId'),
	componentId: sql.placeholder('componentId')
};

/** Prepared, like the other per-component writes below: every result of a component operation makes them. */
export const deleteInventoryEntry = (q: Q, deviceId: string, maId: string, componentId: string) =>
	prepared(q, 'deleteInventoryEntry', (d) =>
		d.delete(t).where(and(eq(t.deviceId, ph.deviceId), eq(t.maId, ph.maId), eq(t.componentId, ph.componentId))).prepare()
	).run({ deviceId, maId, componentId });

export const insertInventory = (q: Q, rows: (typeof t.$inferInsert)[]) =>
	rows.length === 0 ? undefined : q.insert(t).values(rows).run();

const excluded = (column: string) => sql.raw(`excluded."${column}"`);

export const upsertInventoryEntry = (q: Q, row: typeof t.$inferInsert) =>
	prepared(q, 'upsertInventoryEntry', (d) =>
		d
			.insert(t)
			.values({
				...ph,
				stage: sql.placeholder('stage'),
				version: sql.placeholder('version'),
				deployedState: sql.placeholder('deployedState'),
				operationalState: sql.placeholder('operationalState'),
				updatedAt: sql.placeholder('updatedAt')
			})
			.onConflictDoUpdate({
				target: [t.deviceId, t.maId, t.componentId],
				set: {
					stage: excluded('stage'),
					version: excluded('version'),
					deployedState: excluded('deployed_state'),
					operationalState: excluded('operational_state'),
					updatedAt: excluded('updated_at')
				}
			})
			.prepare()
	).run({ ...row, deployedState: row.deployedState ?? null, operationalState: row.operationalState ?? null });

export const setOperationalState = (q: Q, deviceId: string, maId: string, componentId: string, operational: string, at: number) =>
	q
		.update(t)
		.set({ operationalState: operational, updatedAt: at })
		.where(and(eq(t.deviceId, deviceId), eq(t.maId, maId), eq(t.componentId, componentId), eq(t.stage, 'deployed')))
		.run();

/** The owners of a component ID on a device (more than one when MAs chose the same ID). */
export const ownersOnDevice = (q: Q, deviceId: string, componentId: string): string[] =>
	q
		.select({ maId: t.maId })
		.from(t)
		.where(and(eq(t.deviceId, deviceId), eq(t.componentId, componentId)))
		.all()
		.map((r) => r.maId);

/** Key of a component on a device in the maps below: its owner and its ID. */
export const componentKey = (maId: string, componentId: string) => `${maId}\u0000${componentId}`;

/** The report sequence last applied to each component of a device (see inventoryReportSeqs), by componentKey. */
export function reportSeqsOfDevice(q: Q, deviceId: string): Map<string, number> {
	return new Map(
		q
			.select({ maId: seqs.maId, componentId: seqs.componentId, seq: seqs.seq })
			.from(seqs)
			.where(eq(seqs.deviceId, deviceId))
			.all()
			.map((r) => [componentKey(r.maId, r.componentId), r.seq])
	);
}

export const reportSeqOf = (q: Q, deviceId: string, maId: string, componentId: string): number | null =>
	prepared(q, 'reportSeqOf', (d) =>
		d
			.select({ seq: seqs.seq })
			.from(seqs)
			.where(and(eq(seqs.deviceId, ph.deviceId), eq(seqs.maId, ph.maId), eq(seqs.componentId, ph.componentId)))
			.prepare()
	).get({ deviceId, maId, componentId })?.seq ?? null;

export const setReportSeq = (q: Q, deviceId: string, maId: string, componentId: string, seq: number) =>
	prepared(q, 'setReportSeq', (d) =>
		d
			.insert(seqs)
			.values({ ...ph, seq: sql.placeholder('seq') })
			.onConflictDoUpdate({ target: [seqs.deviceId, seqs.maId, seqs.componentId], set: { seq: excluded('seq') } })
			.prepare()
	).run({ deviceId, maId, componentId, seq });

/** How many devices enrolled with the MA now have each of these components deployed (a page of the components list). */
export const deployedCounts = (q: Q, maId: string, componentIds: readonly string[]): { componentId: string; n: number }[] =>
	componentIds.length === 0
		? []
		: q
				.select({ componentId: t.componentId, n: sql<number>`count(*)` })
				.from(t)
				.innerJoin(enrollments, and(eq(enrollments.deviceId, t.deviceId), eq(enrollments.maId, t.maId), isNull(enrollments.leftAt)))
				.where(and(eq(t.maId, maId), eq(t.stage, 'deployed'), inArray(t.componentId, [...componentIds])))
				.groupBy(t.componentId)
				.all();

/** How many devices enrolled with the MA now hold each version of one component, by stage (a component's page). */
export const versionCounts = (q: Q, maId: string, componentId: string): { version: string; stage: string; n: number }[] =>
	q
		.select({ version: t.version, stage: t.stage, n: sql<number>`count(*)` })
		.from(t)
		.innerJoin(enrollments, and(eq(enrollments.deviceId, t.deviceId), eq(enrollments.maId, t.maId), isNull(enrollments.leftAt)))
		.where(and(eq(t.maId, maId), eq(t.componentId, componentId)))
		.groupBy(t.version, t.stage)
		.all();
