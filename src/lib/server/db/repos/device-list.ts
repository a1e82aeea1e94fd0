/**
 * The devices list of one MA, read one keyset page at a time in name order, with the filter language
 * (core/device-filter.ts) translated to SQL. Every field translates, so a page, its total and "every
 * matching device" are each one indexed query and no request reads the whole fleet into the process:
 * - name, notes, tags: this MA's own (enrollments, device_tags); text compares with LIKE (case-insensitive
 *   for ASCII, `*` becomes `%`), as the core's evaluator compares text ignoring case;
 * - online: which devices have a socket is known in memory only; the caller passes this MA's online IDs,
 *   bound as one JSON array (json_each), so the statement's text does not depend on how many there are;
 * - last_result: the result code of the device's last finished operation of this MA (a correlated subquery);
 * - group == "Lobby screens": membership of a static group, by its ID once resolved (core/device-filter-groups.ts
 *   expands dynamic groups into their saved filters before this runs), else by the MA's group of that name;
 * - component[id].version < 2.0: versions compare by semver through scomo_compare_versions, a function
 *   the store registers on its connection (db/open.ts) from the core's compareVersions.
 * The SQL keeps the evaluator's meaning for missing values (a device without a component matches only
 * != on it; a device never seen is infinitely old); the integration tests compare both.
 */
import { and, asc, eq, inArray, isNull, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { valueText, type FilterNode, type FilterOp, type FilterValue } from '../../../core/device-filter';
import { deviceGroupMembers, deviceGroups, deviceTags, devices as d, enrollments as e, inventory, operations } from '../schema';
import type { DeviceRow } from './devices';
import type { Q } from './types';

/** A condition over the devices list (a translated filter, a group's membership), opaque to services. */
export type DeviceWhere = SQL;
export type FilterContext = { maId: string; now: number; onlineIds: readonly string[] };
export type DeviceListRow = DeviceRow & { enrolledAt: number; name: string; notes: string };
/** Where the previous page ended: the last row's name and ID (the sort key). */
export type DeviceCursor = { name: string; id: string };

const OPS: Record<FilterOp, string> = { '==': '=', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
const op = (o: FilterOp) => sql.raw(OPS[o]);

/** A filter text as a LIKE pattern: %, _ and \ are literal, * is any run of characters. */
export function likePattern(v: FilterValue): string {
	return valueText(v)
		.replace(/[\\%_]/g, (c) => `\\${c}`)
		.replace(/\*/g, '%');
}
const like = (col: SQL | AnyColumn, v: FilterValue) => sql`${col} LIKE ${likePattern(v)} ESCAPE '\\'`;
const eqOrNot = (o: FilterOp, cond: SQL) => (o === '==' ? cond : sql`NOT (${cond})`);

const COMPONENT_COLUMNS = {
	version: inventory.version,
	stage: inventory.stage,
	state: inventory.deployedState,
	operational: inventory.operationalState
} as const;

function compareSql(node: Extract<FilterNode, { type: 'compare' }>, c: FilterContext): SQL {
	const { field, op: o, value } = node;
	switch (field.kind) {
		case 'name':
			return eqOrNot(o, like(e.name, value));
		case 'baseline':
			return eqOrNot(o, like(d.baselineBuildId, value));
		case 'model':
			return eqOrNot(o, like(d.model, value));
		case 'manufacturer':
			return eqOrNot(o, like(d.manufacturer, value));
		case 'online': {
			const isOnline = sql`${e.deviceId} IN (SELECT value FROM json_each(${JSON.stringify(c.onlineIds)}))`;
			const wantOnline = (value as { value: boolean }).value === (o === '==');
			return wantOnline ? isOnline : sql`NOT (${isOnline})`;
		}
		case 'last_seen': {
			// The age (now - last seen) against the given age; never seen is infinitely old.
			const ms = (value as { ms: number }).ms;
			const neverSeen = o === '>' || o === '>=' ? sql`1` : sql`0`;
			return sql`(CASE WHEN ${d.lastSeenAt} IS NULL THEN ${neverSeen} ELSE (${c.now} - ${d.lastSeenAt}) ${op(o)} ${ms} END)`;
		}
		case 'last_result': {
			const last = sql`(SELECT ${operations.resultCode} FROM ${operations} WHERE ${operations.deviceId} = ${e.deviceId} AND ${operations.maId} = ${c.maId} AND ${operations.completedAt} IS NOT NULL AND ${operations.resultCode} IS NOT NULL ORDER BY ${operations.completedAt} DESC LIMIT 1)`;
			// No finished operation: only != holds, as in the evaluator.
			return sql`COALESCE(${last} ${op(o)} ${Number(valueText(value))}, ${o === '!=' ? 1 : 0})`;
		}
		case 'tag': {
			const match =
				field.key === undefined
					? like(deviceTags.key, value)
					: sql`lower(${deviceTags.key}) = lower(${field.key}) AND ${like(sql`COALESCE(${deviceTags.value}, '')`, value)}`;
			const has = sql`EXISTS (SELECT 1 FROM ${deviceTags} WHERE ${deviceTags.deviceId} = ${e.deviceId} AND ${deviceTags.maId} = ${c.maId} AND ${match})`;
			return eqOrNot(o, has);
		}
		case 'group': {
			const which =
				field.groupId !== undefined
					? sql`${deviceGroupMembers.groupId} = ${field.groupId}`
					: sql`${deviceGroupMembers.groupId} IN (SELECT ${deviceGroups.id} FROM ${deviceGroups} WHERE ${deviceGroups.maId} = ${c.maId} AND lower(${deviceGroups.name}) = lower(${valueText(value)}))`;
			const member = sql`EXISTS (SELECT 1 FROM ${deviceGroupMembers} WHERE ${deviceGroupMembers.deviceId} = ${e.deviceId} AND ${which})`;
			return eqOrNot(o, member);
		}
		case 'component': {
			const col = COMPONENT_COLUMNS[field.attribute];
			const ordered = o !== '==' && o !== '!=';
			const cond = ordered ? sql`scomo_compare_versions(${col}, ${valueText(value)}) ${op(o)} 0` : like(col, value);
			const has = sql`EXISTS (SELECT 1 FROM ${inventory} WHERE ${inventory.deviceId} = ${e.deviceId} AND ${inventory.maId} = ${c.maId} AND ${inventory.componentId} = ${field.componentId} AND ${cond})`;
			// A device without the component (or without the attribute) matches != only, like the evaluator.
			return ordered ? has : eqOrNot(o, has);
		}
	}
}

/** The filter as a WHERE condition over enrollments (e) joined with devices (d). */
export function filterSql(node: FilterNode, c: FilterContext): SQL {
	switch (node.type) {
		case 'and':
			return sql`(${filterSql(node.left, c)} AND ${filterSql(node.right, c)})`;
		case 'or':
			return sql`(${filterSql(node.left, c)} OR ${filterSql(node.right, c)})`;
		case 'not':
			return sql`NOT (${filterSql(node.operand, c)})`;
		case 'compare':
			return compareSql(node, c);
	}
}

/** Devices enrolled with the MA now (not left, not revoked) that match the condition. */
const enrolledWhere = (maId: string, where: SQL | undefined) => and(eq(e.maId, maId), isNull(e.leftAt), isNull(d.revokedAt), where);

/** One page in name order, after the cursor; one row more than `limit` tells whether another page follows. */
export function listDevicePage(q: Q, maId: string, where: SQL | undefined, after: DeviceCursor | null, limit: number): DeviceListRow[] {
	const keyset = after ? sql`(${e.name}, ${e.deviceId}) > (${after.name}, ${after.id})` : undefined;
	return q
		.select({ d, enrolledAt: e.enrolledAt, name: e.name, notes: e.notes })
		.from(e)
		.innerJoin(d, eq(d.id, e.deviceId))
		.where(and(enrolledWhere(maId, where), keyset))
		.orderBy(asc(e.name), asc(e.deviceId))
		.limit(limit)
		.all()
		.map((r) => ({ ...r.d, enrolledAt: r.enrolledAt, name: r.name, notes: r.notes }));
}

/** How many devices match (the list's total): one COUNT over the same condition. */
export function countDevices(q: Q, maId: string, where: SQL | undefined): number {
	const row = q
		.select({ n: sql<number>`count(*)` })
		.from(e)
		.innerJoin(d, eq(d.id, e.deviceId))
		.where(enrolledWhere(maId, where))
		.get();
	return Number(row?.n ?? 0);
}

/** The IDs of every matching device (an operation on "all matching"): IDs only, never whole rows. */
export function matchingDeviceIds(q: Q, maId: string, where: SQL | undefined): string[] {
	return q
		.select({ id: e.deviceId })
		.from(e)
		.innerJoin(d, eq(d.id, e.deviceId))
		.where(enrolledWhere(maId, where))
		.orderBy(asc(e.name), asc(e.deviceId))
		.all()
		.map((r) => r.id);
}

/** One device's row with this MA's name and notes, when it is enrolled with the MA now. */
export function getEnrolledDevice(q: Q, maId: string, deviceId: string): DeviceListRow | undefined {
	const r = q
		.select({ d, enrolledAt: e.enrolledAt, name: e.name, notes: e.notes })
		.from(e)
		.innerJoin(d, eq(d.id, e.deviceId))
		.where(and(enrolledWhere(maId, undefined), eq(e.deviceId, deviceId)))
		.get();
	return r ? { ...r.d, enrolledAt: r.enrolledAt, name: r.name, notes: r.notes } : undefined;
}

/** These devices, when enrolled with the MA now (names for a page of something else: requests, operations). */
export function listEnrolledDevicesByIds(q: Q, maId: string, deviceIds: readonly string[]): DeviceListRow[] {
	if (deviceIds.length === 0) return [];
	return q
		.select({ d, enrolledAt: e.enrolledAt, name: e.name, notes: e.notes })
		.from(e)
		.innerJoin(d, eq(d.id, e.deviceId))
		.where(and(enrolledWhere(maId, undefined), inArray(e.deviceId, [...new Set(deviceIds)])))
		.all()
		.map((r) => ({ ...r.d, enrolledAt: r.enrolledAt, name: r.name, notes: r.notes }));
}
