/**
 * Packages (one per MA and component ID) and their versions. Component IDs are unique within an MA only, so
 * every lookup by component ID names the MA too: there is no "whose is this id" query.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { packages as p, packageVersions as pv } from '../schema';
import type { Q } from './types';

export type PackageRow = typeof p.$inferSelect;
export type PackageVersionRow = typeof pv.$inferSelect;

export const insertPackage = (q: Q, row: typeof p.$inferInsert) => q.insert(p).values(row).run();
export const insertPackageVersion = (q: Q, row: typeof pv.$inferInsert) => q.insert(pv).values(row).run();

export const getPackageOfMa = (q: Q, maId: string, componentId: string): PackageRow | undefined =>
	q
		.select()
		.from(p)
		.where(and(eq(p.maId, maId), eq(p.componentId, componentId)))
		.get();
/** The packages of the given MAs named by any of the component IDs (to attribute what a device reports). */
export const getPackagesOfMasByComponentIds = (q: Q, maIds: readonly string[], componentIds: readonly string[]): PackageRow[] =>
	componentIds.length === 0 || maIds.length === 0
		? []
		: q
				.select()
				.from(p)
				.where(and(inArray(p.maId, [...maIds]), inArray(p.componentId, [...componentIds])))
				.all();
export const getPackage = (q: Q, id: string): PackageRow | undefined => q.select().from(p).where(eq(p.id, id)).get();
export const listPackagesOfMa = (q: Q, maId: string): PackageRow[] =>
	q.select().from(p).where(eq(p.maId, maId)).orderBy(asc(p.componentId)).all();

/** Where the previous page ended: the last package's component ID and ID (the sort key). */
export type PackageCursor = { componentId: string; id: string };
/** One page of the MA's packages in component ID order, after the cursor (the (ma_id, component_id) index serves it). */
export const listPackagePage = (q: Q, maId: string, after: PackageCursor | null, limit: number): PackageRow[] =>
	q
		.select()
		.from(p)
		.where(and(eq(p.maId, maId), after ? sql`(${p.componentId}, ${p.id}) > (${after.componentId}, ${after.id})` : undefined))
		.orderBy(asc(p.componentId), asc(p.id))
		.limit(limit)
		.all();
export const countPackagesOfMa = (q: Q, maId: string): number =>
	Number(q.select({ n: sql<number>`count(*)` }).from(p).where(eq(p.maId, maId)).get()?.n ?? 0);

export const updatePackageInfo = (q: Q, id: string, info: { name: string; description: string }) =>
	q.update(p).set(info).where(eq(p.id, id)).run();

export const getPackageVersion = (q: Q, packageId: string, version: string): PackageVersionRow | undefined =>
	q
		.select()
		.from(pv)
		.where(and(eq(pv.packageId, packageId), eq(pv.version, version)))
		.get();
export const getPackageVersionById = (q: Q, id: string): PackageVersionRow | undefined =>
	q.select().from(pv).where(eq(pv.id, id)).get();
export const getPackageVersionsByIds = (q: Q, ids: readonly string[]): PackageVersionRow[] =>
	ids.length === 0 ? [] : q.select().from(pv).where(inArray(pv.id, [...ids])).all();
export const listVersionsOfPackages = (q: Q, packageIds: readonly string[]): PackageVersionRow[] =>
	packageIds.length === 0
		? []
		: q
				.select()
				.from(pv)
				.where(inArray(pv.packageId, [...packageIds]))
				.orderBy(asc(pv.createdAt))
				.all();

/** SCOMO-SEC-03: the MA's signature over the version (re-signed when the MA's key is rotated). */
export const setVersionSignature = (q: Q, id: string, signature: string | null) =>
	q.update(pv).set({ signature }).where(eq(pv.id, id)).run();
