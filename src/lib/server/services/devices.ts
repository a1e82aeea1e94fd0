/**
 * Devices as MAs see them (only devices enrolled with them, SCOMO-ADC-3), each MA with its own name, notes
 * and tags of a device; the filtered, paged devices list; and device authentication on connect: a signature
 * over the server's nonce with the key registered at enrollment.
 */
import { deviceAuthMessage, type DeviceInfoMsg, type UpdateDeviceBody } from '../../contract';
import { ok } from '../../core';
import { checkName, checkNotes, parseTags, type DeviceTag } from '../../core/device-identity';
import * as devicesRepo from '../db/repos/devices';
import * as enrollmentsRepo from '../db/repos/enrollments';
import * as deviceList from '../db/repos/device-list';
import * as tagsRepo from '../db/repos/device-tags';
import { verifyEd25519 } from './ed25519';
import { audit } from './audit';
import { fail, type Outcome } from './errors';
import { filterWhere } from './device-filter-where';
import type { InventoryService } from './inventory';
import { deviceView, type DeviceView, type InventoryItemView } from './views';
import type { AuditActor, ServiceDeps } from './deps';
import { decodeDeviceCursor } from './device-cursor';
import { badCursor, clampLimit, pageOf } from './keyset-cursor';

export type DevicePage = { items: DeviceView[]; nextCursor: string | null; total: number };
export type DevicePageQuery = { filter?: string; limit?: number; cursor?: string };


export function createDeviceService(deps: ServiceDeps, inventory: InventoryService) {
	const { db } = deps;

	function views(maId: string, rows: deviceList.DeviceListRow[]): DeviceView[] {
		const relay = deps.relay();
		const tags = tagsRepo.tagsOf(db, maId, rows.map((r) => r.id));
		return rows.map((d) => deviceView(d, tags.get(d.id) ?? [], relay.isOnline(d.id)));
	}

	/** These devices of the MA (a page of another list names its devices); IDs not enrolled are left out. */
	function byIds(maId: string, ids: readonly string[]): DeviceView[] {
		return views(maId, deviceList.listEnrolledDevicesByIds(db, maId, ids));
	}

	/** A filter text as SQL for this MA (group names resolved); one that does not parse points at where. */
	const where = (maId: string, filter: string | undefined) => filterWhere(deps, maId, filter);

	/** One page of the MA's devices matching the filter, in name order, with the total of all matches. */
	function page(maId: string, query: DevicePageQuery): Outcome<DevicePage> {
		const w = where(maId, query.filter);
		return w.ok ? pageWhere(maId, w.value, query) : w;
	}

	/** One page of the MA's devices meeting an SQL condition (a group's members: services/groups.ts). */
	function pageWhere(maId: string, w: deviceList.DeviceWhere | undefined, query: Omit<DevicePageQuery, 'filter'>): Outcome<DevicePage> {
		const after = query.cursor ? decodeDeviceCursor(query.cursor) : null;
		if (query.cursor && !after) return badCursor();
		const limit = clampLimit(query.limit);
		const page = pageOf(deviceList.listDevicePage(db, maId, w, after, limit + 1), limit, (r) => [r.name, r.id]);
		return ok({ items: views(maId, page.rows), nextCursor: page.nextCursor, total: deviceList.countDevices(db, maId, w) });
	}

	/** The IDs of every device of the MA the filter matches (operations on "all matching"). */
	function matchingIds(maId: string, filter: string): Outcome<string[]> {
		const w = where(maId, filter);
		return w.ok ? ok(deviceList.matchingDeviceIds(db, maId, w.value)) : w;
	}

	/** One device of this MA with this MA's part of its inventory; other devices are not_found. */
	function get(maId: string, id: string): Outcome<{ device: DeviceView; inventory: InventoryItemView[] }> {
		const row = deviceList.getEnrolledDevice(db, maId, id);
		if (!row) return fail('not_found', 'device not found');
		return ok({ device: views(maId, [row])[0]!, inventory: inventory.listForMa(id, maId) });
	}

	/**
	 * Renames a device, or changes its notes or tags, in this MA only (another MA's name for the same device
	 * stays). Fields not given stay; tags replace the whole set. Audited with what changed.
	 */
	function updateIdentity(maId: string, actor: AuditActor, id: string, patch: UpdateDeviceBody): Outcome<DeviceView> {
		const row = deviceList.getEnrolledDevice(db, maId, id);
		if (!row) return fail('not_found', 'device not found');
		const fields: { name?: string; notes?: string } = {};
		let tags: DeviceTag[] | undefined;
		if (patch.name !== undefined) {
			const r = checkName(patch.name);
			if (!r.ok) return fail('invalid_request', `name: ${r.error.message}`, [{ path: 'name', message: r.error.message }]);
			fields.name = r.value;
		}
		if (patch.notes !== undefined) {
			const r = checkNotes(patch.notes);
			if (!r.ok) return fail('invalid_request', `notes: ${r.error.message}`, [{ path: 'notes', message: r.error.message }]);
			fields.notes = r.value;
		}
		if (patch.tags !== undefined) {
			const r = parseTags(patch.tags);
			if (!r.ok) return fail('invalid_request', `tags: ${r.error.message}`, [{ path: 'tags', message: r.error.message }]);
			tags = r.value;
		}
		const now = deps.clock();
		db.transaction((tx) => {
			if (Object.keys(fields).length > 0) enrollmentsRepo.setIdentity(tx, id, maId, fields);
			if (tags) tagsRepo.replaceTags(tx, id, maId, tags);
			const detail: Record<string, unknown> = {};
			if (fields.name !== undefined && fields.name !== row.name) detail.name = { from: row.name, to: fields.name };
			if (fields.notes !== undefined && fields.notes !== row.notes) detail.notes = 'changed';
			if (tags) detail.tags = tags.map((t) => (t.value === null ? t.key : `${t.key}=${t.value}`));
			audit(tx, now, { maId, actor, action: 'device.update', targetType: 'device', targetId: id, outcome: 'ok', detail });
		});
		return ok(views(maId, [deviceList.getEnrolledDevice(db, maId, id)!])[0]!);
	}

	/** The MAs a device is enrolled with now (for authorisation of device-side requests). */
	function maIdsOf(deviceId: string): string[] {
		return enrollmentsRepo.activeMaIdsOfDevice(db, deviceId);
	}

	/** Checks the answer to a connection challenge. Unknown and revoked devices look the same. */
	function authenticate(deviceId: string, nonce: string, signature: string): Outcome<{ deviceId: string; maIds: string[] }> {
		const d = devicesRepo.getDevice(db, deviceId);
		if (!d || d.revokedAt !== null) return fail('device_unknown', 'this device is not known or was revoked');
		if (!verifyEd25519(d.publicKey, deviceAuthMessage(nonce, deviceId, deps.config().origin), signature)) {
			return fail('device_auth_failed', 'the signature over the challenge does not verify');
		}
		devicesRepo.touchDevice(db, deviceId, deps.clock());
		return ok({ deviceId, maIds: maIdsOf(deviceId) });
	}

	function touch(deviceId: string): void {
		devicesRepo.touchDevice(db, deviceId, deps.clock());
	}

	/** Reported device information; the baseline stays the enrolled one (SCOMO-HLFR-9). */
	function updateInfo(deviceId: string, info: DeviceInfoMsg): { baselineMatches: boolean } {
		const d = devicesRepo.getDevice(db, deviceId);
		if (!d) return { baselineMatches: false };
		devicesRepo.updateDeviceInfo(db, deviceId, {
			manufacturer: info.manufacturer,
			model: info.model,
			softwareVersion: info.softwareVersion
		});
		return { baselineMatches: d.baselineBuildId === info.baselineBuildId };
	}

	function baselineOf(deviceId: string): string | null {
		return devicesRepo.getDevice(db, deviceId)?.baselineBuildId ?? null;
	}

	return { byIds, page, pageWhere, matchingIds, get, updateIdentity, maIdsOf, authenticate, touch, updateInfo, baselineOf };
}

export type DeviceService = ReturnType<typeof createDeviceService>;
