/**
 * Device groups of an MA (issue #17). A static group lists its members, each a device enrolled with the MA
 * (another MA's device is not_found, SCOMO-ADC-3); a dynamic group is a saved device filter and its members
 * are whatever the filter matches when asked. Both are read through the devices list's SQL, so a group's
 * devices, its count and `deviceIdsOf` (what rollouts target) agree, and devices that left the MA drop out.
 * A dynamic filter that does not parse, names an unknown group or leads back to itself is refused with the
 * position where it went wrong. Every change is audited (group.create, group.update, group.delete, group.members).
 */
import { ok } from '../../core';
import { checkName } from '../../core/device-identity';
import type { GroupDefinition, GroupLookup } from '../../core/device-filter-groups';
import type { CreateGroupBody, GroupKind, UpdateGroupBody } from '../../contract/groups';
import * as deviceList from '../db/repos/device-list';
import * as groupsRepo from '../db/repos/groups';
import { newId } from '../ids';
import { audit } from './audit';
import type { AuditActor, ServiceDeps } from './deps';
import { groupDefinition, groupLookup, resolveFilter, whereOfNode } from './device-filter-where';
import { decodeDeviceCursor, encodeDeviceCursor } from './device-cursor';
import type { DevicePage, DeviceService } from './devices';
import { fail, type Outcome } from './errors';

export type GroupView = {
	id: string;
	name: string;
	kind: GroupKind;
	filter: string | null;
	description: string;
	memberCount: number;
	filterError: string | null;
	createdBy: string;
	createdAt: number;
	updatedAt: number;
};
export type GroupPage = { items: GroupView[]; nextCursor: string | null; total: number };
export type PageQuery = { limit?: number; cursor?: string };

export const DEFAULT_GROUP_PAGE_SIZE = 100;
const MAX_DESCRIPTION = 2000;
/** How many device IDs an audit row lists (a change to 10,000 members is audited by count). */
const AUDIT_IDS = 50;

const actorText = (a: AuditActor) => `${a.type}:${a.id}`;

export function createGroupService(deps: ServiceDeps, devices: DeviceService) {
	const { db } = deps;

	/** The devices of a group as an SQL condition, or why a dynamic group's filter no longer resolves. */
	function membersWhere(maId: string, g: groupsRepo.GroupRow): Outcome<deviceList.DeviceWhere> {
		if (g.kind === 'static') {
			return ok(deviceList.filterSql(membershipNode(g), { maId, now: deps.clock(), onlineIds: [] }));
		}
		const node = resolveFilter(db, maId, g.filter ?? '', { within: [groupDefinition(g)] });
		return node.ok ? ok(whereOfNode(deps, maId, node.value)) : node;
	}

	function view(maId: string, g: groupsRepo.GroupRow): GroupView {
		const w = membersWhere(maId, g);
		return {
			id: g.id,
			name: g.name,
			kind: g.kind as GroupKind,
			filter: g.filter,
			description: g.description,
			memberCount: w.ok ? deviceList.countDevices(db, maId, w.value) : 0,
			filterError: w.ok ? null : w.error.message,
			createdBy: g.createdBy,
			createdAt: g.createdAt,
			updatedAt: g.updatedAt
		};
	}

	function checkGroupName(raw: string, maId: string, selfId: string | null): Outcome<string> {
		const r = checkName(raw);
		if (!r.ok) return fail('invalid_request', `name: ${r.error.message}`, [{ path: 'name', message: r.error.message }]);
		if (r.value === '') return fail('invalid_request', 'name: a group needs a name', [{ path: 'name', message: 'a group needs a name' }]);
		const same = groupsRepo.findGroupByName(db, maId, r.value);
		if (same && same.id !== selfId) return fail('conflict', `a group named "${same.name}" exists already`, [{ path: 'name', message: 'taken' }]);
		return ok(r.value);
	}

	function checkDescription(raw: string): Outcome<string> {
		const d = raw.trim();
		if (d.length > MAX_DESCRIPTION) return fail('invalid_request', `description: at most ${MAX_DESCRIPTION} characters`, [{ path: 'description', message: `at most ${MAX_DESCRIPTION} characters` }]);
		return ok(d);
	}

	/**
	 * A dynamic group's filter, checked as it will be saved: it parses, every group it names exists, and none
	 * leads back to this group (under its new name, if it is being renamed).
	 */
	function checkFilter(maId: string, self: GroupDefinition & { kind: 'dynamic' }): Outcome<string> {
		const filter = self.filter.trim();
		if (filter === '') return fail('invalid_request', 'filter: a dynamic group needs a filter', [{ path: 'filter', message: 'a dynamic group needs a filter' }]);
		const stored = groupLookup(db, maId);
		const lookup: GroupLookup = (name) => {
			if (name.toLowerCase() === self.name.toLowerCase()) return { ...self, filter };
			const g = stored(name);
			// This group's old name is gone once it is renamed.
			return g && g.id === self.id ? undefined : g;
		};
		const r = resolveFilter(db, maId, filter, { within: [{ ...self, filter }], lookup });
		return r.ok ? ok(filter) : r;
	}

	/** Members must be devices enrolled with the MA now; the first that is not is not_found, like a missing one. */
	function checkDevices(maId: string, ids: readonly string[]): Outcome<string[]> {
		const unique = [...new Set(ids)];
		const enrolled = groupsRepo.enrolledAmong(db, maId, unique);
		const missing = unique.find((id) => !enrolled.has(id));
		return missing ? fail('not_found', `device ${missing} not found`) : ok(unique);
	}

	function create(maId: string, actor: AuditActor, body: CreateGroupBody): Outcome<GroupView> {
		const name = checkGroupName(body.name, maId, null);
		if (!name.ok) return name;
		const description = checkDescription(body.description ?? '');
		if (!description.ok) return description;
		const id = newId();
		let filter: string | null = null;
		let members: string[] = [];
		if (body.kind === 'dynamic') {
			if (body.deviceIds?.length) return fail('invalid_request', 'deviceIds: a dynamic group’s members come from its filter', [{ path: 'deviceIds', message: 'only for static groups' }]);
			const f = checkFilter(maId, { id, name: name.value, kind: 'dynamic', filter: body.filter ?? '' });
			if (!f.ok) return f;
			filter = f.value;
		} else {
			if (body.filter !== undefined) return fail('invalid_request', 'filter: a static group lists its members; create a dynamic group for a filter', [{ path: 'filter', message: 'only for dynamic groups' }]);
			const m = checkDevices(maId, body.deviceIds ?? []);
			if (!m.ok) return m;
			members = m.value;
		}
		const now = deps.clock();
		db.transaction((tx) => {
			groupsRepo.insertGroup(tx, {
				id, maId, name: name.value, kind: body.kind, filter, description: description.value, createdBy: actorText(actor), createdAt: now, updatedAt: now
			});
			if (members.length) groupsRepo.addMembers(tx, id, members, now);
			audit(tx, now, {
				maId, actor, action: 'group.create', targetType: 'group', targetId: id, outcome: 'ok',
				detail: { name: name.value, kind: body.kind, ...(filter !== null ? { filter } : {}), ...(members.length ? { members: members.length } : {}) }
			});
		});
		return ok(view(maId, groupsRepo.getGroup(db, id)!));
	}

	/** Renames a group, or changes a dynamic group's filter or any group's description; fields not given stay. */
	function update(maId: string, actor: AuditActor, id: string, patch: UpdateGroupBody): Outcome<GroupView> {
		const g = groupsRepo.getGroupOfMa(db, maId, id);
		if (!g) return fail('not_found', 'group not found');
		const fields: { name?: string; filter?: string; description?: string } = {};
		if (patch.name !== undefined) {
			const r = checkGroupName(patch.name, maId, id);
			if (!r.ok) return r;
			fields.name = r.value;
		}
		if (patch.description !== undefined) {
			const r = checkDescription(patch.description);
			if (!r.ok) return r;
			fields.description = r.value;
		}
		if (patch.filter !== undefined && g.kind !== 'dynamic') {
			return fail('invalid_request', 'filter: a static group lists its members; it has no filter', [{ path: 'filter', message: 'only for dynamic groups' }]);
		}
		if (g.kind === 'dynamic' && (patch.filter !== undefined || fields.name !== undefined)) {
			// A new name can close a cycle too: a group this one names may name the new name.
			const r = checkFilter(maId, { id, name: fields.name ?? g.name, kind: 'dynamic', filter: patch.filter ?? g.filter ?? '' });
			if (!r.ok) return r;
			if (patch.filter !== undefined) fields.filter = r.value;
		}
		const detail: Record<string, unknown> = {};
		if (fields.name !== undefined && fields.name !== g.name) detail.name = { from: g.name, to: fields.name };
		if (fields.filter !== undefined && fields.filter !== g.filter) detail.filter = { from: g.filter, to: fields.filter };
		if (fields.description !== undefined && fields.description !== g.description) detail.description = 'changed';
		const now = deps.clock();
		db.transaction((tx) => {
			groupsRepo.updateGroup(tx, id, { ...fields, updatedAt: now });
			audit(tx, now, { maId, actor, action: 'group.update', targetType: 'group', targetId: id, outcome: 'ok', detail });
		});
		return ok(view(maId, groupsRepo.getGroup(db, id)!));
	}

	/** Deletes a group (its member list with it; the devices stay). Dynamic groups naming it then match nothing. */
	function remove(maId: string, actor: AuditActor, id: string): Outcome<void> {
		const g = groupsRepo.getGroupOfMa(db, maId, id);
		if (!g) return fail('not_found', 'group not found');
		const now = deps.clock();
		db.transaction((tx) => {
			groupsRepo.deleteGroup(tx, id);
			audit(tx, now, { maId, actor, action: 'group.delete', targetType: 'group', targetId: id, outcome: 'ok', detail: { name: g.name, kind: g.kind } });
		});
		return ok(undefined);
	}

	function changeMembers(maId: string, actor: AuditActor, id: string, deviceIds: readonly string[], how: 'add' | 'remove'): Outcome<{ group: GroupView; changed: number }> {
		const g = groupsRepo.getGroupOfMa(db, maId, id);
		if (!g) return fail('not_found', 'group not found');
		if (g.kind !== 'static') return fail('conflict', 'a dynamic group’s members come from its filter; change the filter instead');
		// Removing takes any ID (a device that left the MA can still be taken out); adding only enrolled devices.
		const ids = how === 'add' ? checkDevices(maId, deviceIds) : ok([...new Set(deviceIds)]);
		if (!ids.ok) return ids;
		const now = deps.clock();
		const changed = db.transaction((tx) => {
			const n = how === 'add' ? groupsRepo.addMembers(tx, id, ids.value, now) : groupsRepo.removeMembers(tx, id, ids.value);
			audit(tx, now, {
				maId, actor, action: 'group.members', targetType: 'group', targetId: id, outcome: 'ok',
				detail: { [how === 'add' ? 'added' : 'removed']: n, deviceIds: ids.value.slice(0, AUDIT_IDS), ...(ids.value.length > AUDIT_IDS ? { more: ids.value.length - AUDIT_IDS } : {}) }
			});
			return n;
		});
		return ok({ group: view(maId, groupsRepo.getGroup(db, id)!), changed });
	}

	const addMembers = (maId: string, actor: AuditActor, id: string, deviceIds: readonly string[]) => changeMembers(maId, actor, id, deviceIds, 'add');
	const removeMembers = (maId: string, actor: AuditActor, id: string, deviceIds: readonly string[]) => changeMembers(maId, actor, id, deviceIds, 'remove');

	/** One page of the MA's groups in name order, each with its member count, and the total. */
	function page(maId: string, query: PageQuery = {}): Outcome<GroupPage> {
		let after: groupsRepo.GroupCursor | null = null;
		if (query.cursor) {
			after = decodeDeviceCursor(query.cursor);
			if (!after) return fail('invalid_request', 'cursor: not a cursor this list gave out', [{ path: 'cursor', message: 'not a cursor this list gave out' }]);
		}
		const limit = query.limit ?? DEFAULT_GROUP_PAGE_SIZE;
		const rows = groupsRepo.listGroupPage(db, maId, after, limit + 1);
		const more = rows.length > limit;
		const shown = more ? rows.slice(0, limit) : rows;
		const last = shown.at(-1);
		return ok({
			items: shown.map((g) => view(maId, g)),
			nextCursor: more && last ? encodeDeviceCursor({ name: last.name, id: last.id }) : null,
			total: groupsRepo.countGroups(db, maId)
		});
	}

	function get(maId: string, id: string): Outcome<GroupView> {
		const g = groupsRepo.getGroupOfMa(db, maId, id);
		return g ? ok(view(maId, g)) : fail('not_found', 'group not found');
	}

	/** One page of a group's devices, as the devices list shows them (name order). */
	function devicesPage(maId: string, id: string, query: PageQuery = {}): Outcome<DevicePage> {
		const g = groupsRepo.getGroupOfMa(db, maId, id);
		if (!g) return fail('not_found', 'group not found');
		const w = membersWhere(maId, g);
		return w.ok ? devices.pageWhere(maId, w.value, query) : w;
	}

	/**
	 * THE way other features read a group: the IDs of its devices now, in name order (then ID), only devices
	 * enrolled with the MA (static members that left drop out; a dynamic group's filter is evaluated now).
	 * Another MA's group is not_found; a dynamic group whose filter no longer resolves is invalid_request.
	 */
	function deviceIdsOf(maId: string, groupId: string): Outcome<string[]> {
		const g = groupsRepo.getGroupOfMa(db, maId, groupId);
		if (!g) return fail('not_found', 'group not found');
		const w = membersWhere(maId, g);
		return w.ok ? ok(deviceList.matchingDeviceIds(db, maId, w.value)) : w;
	}

	/** The MA's static groups a device is a member of (the device's page). */
	function staticGroupsOf(maId: string, deviceId: string): { id: string; name: string }[] {
		return groupsRepo.staticGroupsOfDevice(db, maId, deviceId);
	}

	/** How many devices a filter matches now (the console's live preview), or where it goes wrong. */
	function preview(maId: string, filter: string, selfId?: string): Outcome<{ total: number }> {
		const self = selfId ? groupsRepo.getGroupOfMa(db, maId, selfId) : undefined;
		const node = resolveFilter(db, maId, filter, self ? { within: [groupDefinition(self)] } : {});
		if (!node.ok) return node;
		return ok({ total: deviceList.countDevices(db, maId, whereOfNode(deps, maId, node.value)) });
	}

	return { create, update, remove, addMembers, removeMembers, page, get, devicesPage, deviceIdsOf, staticGroupsOf, preview };
}

/** A static group's membership as a resolved filter comparison (group == <this group>, by its ID). */
function membershipNode(g: groupsRepo.GroupRow) {
	return {
		type: 'compare' as const,
		field: { kind: 'group' as const, groupId: g.id, valuePosition: 0 },
		op: '==' as const,
		value: { type: 'text' as const, value: g.name },
		position: 0
	};
}

export type GroupService = ReturnType<typeof createGroupService>;
