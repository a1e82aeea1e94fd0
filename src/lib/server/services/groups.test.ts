/**
 * Device groups: static members only from the MA's enrolled devices, dynamic groups as saved filters (refused
 * with a position when bad or cyclic), `group ==` in the SQL meaning what the core's evaluator means, member
 * counts, deviceIdsOf in name order, keyset pages, and an audit row for every change.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { matchesDeviceFilter, parseDeviceFilter, type FilterableDevice } from '../../core/device-filter';
import { expandGroups } from '../../core/device-filter-groups';
import * as enrollmentsRepo from '../db/repos/enrollments';
import { groupLookup } from './device-filter-where';
import { serviceHarness } from './test-harness';
import type { GroupView } from './groups';

const h = serviceHarness();
afterAll(() => h.store.close());
const acme = h.services.mas.create('Acme', h.system);
const globex = h.services.mas.create('Globex', h.system);
if (!acme.ok || !globex.ok) throw new Error('no MA');
const maId = acme.value.maId;
const otherMa = globex.value.maId;
const G = h.services.groups;

const SPECS = [
	{ name: 'Lobby kiosk', tags: ['lobby'], online: true },
	{ name: 'Lobby screen', tags: ['lobby', 'floor=3'], online: false },
	{ name: 'Reception tablet', tags: ['floor=1'], online: true },
	{ name: 'Spare', tags: [], online: false }
];
const ids: string[] = [];
for (const s of SPECS) {
	const { deviceId } = h.enrollDevice(maId);
	ids.push(deviceId);
	const u = h.services.devices.updateIdentity(maId, h.system, deviceId, { name: s.name, tags: s.tags });
	if (!u.ok) throw new Error(u.error.message);
	if (s.online) h.relay.online.add(deviceId);
}
const foreignDevice = h.enrollDevice(otherMa).deviceId;

const ok = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
	if (!r.ok) throw new Error(r.error.message);
	return r.value;
};
const names = (deviceIds: string[]) => deviceIds.map((id) => SPECS[ids.indexOf(id)]!.name);
const auditActions = () =>
	(h.db.$client.prepare("SELECT action, detail FROM audit_events WHERE action LIKE 'group.%' ORDER BY rowid").all() as { action: string; detail: string }[]).map((r) => r.action);

describe('groups: static and dynamic', () => {
	let screens: GroupView;
	let lobby: GroupView;

	it('creates a static group of enrolled devices; another MA’s device is not_found', () => {
		screens = ok(G.create(maId, h.system, { name: 'Lobby screens', kind: 'static', description: ' by the door ', deviceIds: [ids[1]!, ids[0]!, ids[0]!] }));
		expect(screens).toMatchObject({ name: 'Lobby screens', kind: 'static', filter: null, description: 'by the door', memberCount: 2, filterError: null, createdBy: 'system:test' });
		expect(G.create(maId, h.system, { name: 'Mixed', kind: 'static', deviceIds: [ids[2]!, foreignDevice] })).toMatchObject({ ok: false, error: { code: 'not_found' } });
		expect(G.page(maId).ok && ok(G.page(maId)).items.map((g) => g.name)).toEqual(['Lobby screens']);
		expect(G.addMembers(maId, h.system, screens.id, [foreignDevice])).toMatchObject({ ok: false, error: { code: 'not_found' } });
		expect(names(ok(G.deviceIdsOf(maId, screens.id)))).toEqual(['Lobby kiosk', 'Lobby screen']);
	});

	it('refuses a duplicate name (ignoring case), an empty name, a filter on a static group', () => {
		expect(G.create(maId, h.system, { name: 'LOBBY SCREENS', kind: 'dynamic', filter: 'tag == x' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
		expect(G.create(maId, h.system, { name: '  ', kind: 'static' })).toMatchObject({ ok: false, error: { code: 'invalid_request', issues: [{ path: 'name' }] } });
		expect(G.create(maId, h.system, { name: 'S', kind: 'static', filter: 'tag == x' })).toMatchObject({ ok: false, error: { code: 'invalid_request', issues: [{ path: 'filter' }] } });
		expect(G.create(maId, h.system, { name: 'D', kind: 'dynamic' })).toMatchObject({ ok: false, error: { code: 'invalid_request', issues: [{ path: 'filter' }] } });
		// Names are per MA: another MA may have its own "Lobby screens".
		expect(G.create(otherMa, h.system, { name: 'Lobby screens', kind: 'static' })).toMatchObject({ ok: true });
	});

	it('creates a dynamic group; a bad filter is refused with its position', () => {
		lobby = ok(G.create(maId, h.system, { name: 'Lobby', kind: 'dynamic', filter: 'tag == lobby' }));
		expect(lobby).toMatchObject({ kind: 'dynamic', filter: 'tag == lobby', memberCount: 2 });
		expect(G.create(maId, h.system, { name: 'Bad', kind: 'dynamic', filter: 'tag == lobby and' })).toMatchObject({
			ok: false,
			error: { code: 'invalid_request', position: 16, issues: [{ path: 'filter', message: expect.stringContaining('expected a field') }] }
		});
		expect(G.create(maId, h.system, { name: 'Bad', kind: 'dynamic', filter: 'group == "Nope"' })).toMatchObject({
			ok: false,
			error: { code: 'invalid_request', position: 9, message: expect.stringContaining('unknown group "Nope"') }
		});
		expect(G.create(maId, h.system, { name: 'Bad', kind: 'dynamic', filter: 'group == Bad' })).toMatchObject({
			ok: false,
			error: { code: 'invalid_request', message: expect.stringContaining('includes itself') }
		});
	});

	it('refuses a change that closes a cycle, through a filter or a rename', () => {
		const online = ok(G.create(maId, h.system, { name: 'Online lobby', kind: 'dynamic', filter: 'group == Lobby and online == true' }));
		expect(online.memberCount).toBe(1);
		expect(G.update(maId, h.system, lobby.id, { filter: 'group == "Online lobby" or tag == lobby' })).toMatchObject({
			ok: false,
			error: { code: 'invalid_request', position: 9, message: expect.stringContaining('includes itself ("Lobby" → "Online lobby" → "Lobby")') }
		});
		// A group naming a group that does not exist yet cannot be saved; a rename into a cycle is refused too.
		const far = ok(G.create(maId, h.system, { name: 'Far', kind: 'dynamic', filter: 'group == "Online lobby" or name == Spare' }));
		expect(far.memberCount).toBe(2);
		expect(G.update(maId, h.system, far.id, { name: 'lobby' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
		expect(ok(G.get(maId, far.id)).name).toBe('Far');
		expect(ok(G.remove(maId, h.system, far.id))).toBeUndefined();
		expect(ok(G.remove(maId, h.system, online.id))).toBeUndefined();
	});

	it('a rename keeps members; a dynamic group naming a deleted group reports why it matches nothing', () => {
		const renamed = ok(G.update(maId, h.system, screens.id, { name: 'Screens', description: 'moved' }));
		expect(renamed).toMatchObject({ name: 'Screens', description: 'moved', memberCount: 2 });
		const onScreens = ok(G.create(maId, h.system, { name: 'Screens online', kind: 'dynamic', filter: 'group == Screens and online == true' }));
		expect(names(ok(G.deviceIdsOf(maId, onScreens.id)))).toEqual(['Lobby kiosk']);
		const temp = ok(G.create(maId, h.system, { name: 'Temp', kind: 'static', deviceIds: [ids[3]!] }));
		const viaTemp = ok(G.create(maId, h.system, { name: 'Via temp', kind: 'dynamic', filter: 'group == Temp' }));
		expect(viaTemp.memberCount).toBe(1);
		ok(G.remove(maId, h.system, temp.id));
		expect(ok(G.get(maId, viaTemp.id))).toMatchObject({ memberCount: 0, filterError: expect.stringContaining('unknown group "Temp"') });
		expect(G.deviceIdsOf(maId, viaTemp.id)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
		expect(G.update(maId, h.system, screens.id, { filter: 'tag == x' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
		ok(G.remove(maId, h.system, viaTemp.id));
		ok(G.remove(maId, h.system, onScreens.id));
	});

	it('adds and removes members; dynamic groups take none; another MA sees none of it', () => {
		expect(ok(G.addMembers(maId, h.system, screens.id, [ids[2]!, ids[0]!]))).toMatchObject({ changed: 1, group: { memberCount: 3 } });
		expect(ok(G.removeMembers(maId, h.system, screens.id, [ids[0]!, ids[3]!]))).toMatchObject({ changed: 1, group: { memberCount: 2 } });
		expect(G.addMembers(maId, h.system, lobby.id, [ids[0]!])).toMatchObject({ ok: false, error: { code: 'conflict' } });
		for (const r of [G.get(otherMa, screens.id), G.deviceIdsOf(otherMa, screens.id), G.addMembers(otherMa, h.system, screens.id, [foreignDevice]), G.remove(otherMa, h.system, screens.id), G.update(otherMa, h.system, screens.id, { name: 'x' })]) {
			expect(r).toMatchObject({ ok: false, error: { code: 'not_found' } });
		}
		expect(G.staticGroupsOf(maId, ids[2]!)).toEqual([{ id: screens.id, name: 'Screens' }]);
		expect(G.staticGroupsOf(otherMa, ids[2]!)).toEqual([]);
	});

	it('a member that leaves the MA drops out of the group’s devices and count', () => {
		const g = ok(G.create(maId, h.system, { name: 'Leavers', kind: 'static', deviceIds: [ids[3]!, ids[2]!] }));
		expect(g.memberCount).toBe(2);
		h.db.$client.prepare('UPDATE enrollments SET left_at = ? WHERE device_id = ? AND ma_id = ?').run(h.time.now, ids[3]!, maId);
		expect(enrollmentsRepo.activeMaIdsOfDevice(h.db, ids[3]!)).toEqual([]);
		expect(ok(G.get(maId, g.id)).memberCount).toBe(1);
		expect(names(ok(G.deviceIdsOf(maId, g.id)))).toEqual(['Reception tablet']);
		h.db.$client.prepare('UPDATE enrollments SET left_at = NULL WHERE device_id = ? AND ma_id = ?').run(ids[3]!, maId);
		ok(G.remove(maId, h.system, g.id));
	});

	it('`group ==` in the SQL means what the core evaluator means', () => {
		const lookup = groupLookup(h.db, maId);
		const staticOf = new Map(ids.map((id) => [id, G.staticGroupsOf(maId, id)]));
		const evaluated: FilterableDevice[] = SPECS.map((s, i) => ({
			name: s.name,
			tags: s.tags.map((t) => ({ key: t.split('=')[0]!, value: t.split('=')[1] ?? null })),
			baseline: 'base-1', model: 'X', manufacturer: 'M', online: s.online, lastSeenAt: null, lastResultCode: null, components: [],
			groups: staticOf.get(ids[i]!)!
		}));
		for (const filter of ['group == Screens', 'group != screens', 'group == Lobby', 'group != Lobby and online == true', 'not (group == Screens or group == Lobby)', 'group == Screens and group == Lobby']) {
			const parsed = parseDeviceFilter(filter);
			if (!parsed.ok) throw new Error(filter);
			const x = expandGroups(parsed.value, lookup);
			if (!x.ok) throw new Error(x.error.message);
			const core = evaluated.filter((d) => matchesDeviceFilter(x.value, d, h.time.now)).map((d) => d.name).sort();
			const page = ok(h.services.devices.page(maId, { filter, limit: 100 }));
			expect(page.items.map((d) => d.name).sort(), filter).toEqual(core);
			expect(page.total).toBe(core.length);
		}
		expect(h.services.devices.page(maId, { filter: 'tag == lobby and group == "Gone"' })).toMatchObject({ ok: false, error: { code: 'invalid_request', position: 26 } });
	});

	it('pages groups in name order without duplicates, and a group’s devices page like the devices list', () => {
		for (const n of ['b', 'a', 'c', 'e', 'd']) ok(G.create(maId, h.system, { name: `Page ${n}`, kind: 'static', deviceIds: ids }));
		const seen: string[] = [];
		let cursor: string | undefined;
		for (let i = 0; i < 10; i++) {
			const p = ok(G.page(maId, { limit: 2, ...(cursor ? { cursor } : {}) }));
			expect(p.total).toBe(7);
			seen.push(...p.items.map((g) => g.name));
			if (!p.nextCursor) break;
			cursor = p.nextCursor;
		}
		expect(seen).toEqual(['Lobby', 'Page a', 'Page b', 'Page c', 'Page d', 'Page e', 'Screens']);
		const pageA = ok(G.page(maId, { limit: 100 })).items.find((g) => g.name === 'Page a')!;
		const first = ok(G.devicesPage(maId, pageA.id, { limit: 3 }));
		expect(first).toMatchObject({ total: 4 });
		const second = ok(G.devicesPage(maId, pageA.id, { limit: 3, cursor: first.nextCursor! }));
		expect([...first.items, ...second.items].map((d) => d.name)).toEqual(SPECS.map((s) => s.name));
		expect(second.nextCursor).toBeNull();
		expect(G.page(maId, { cursor: 'bm9wZQ' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
		expect(ok(G.preview(maId, 'group == "Page a" and online == true')).total).toBe(2);
	});

	it('audits every change', () => {
		const actions = auditActions();
		for (const a of ['group.create', 'group.update', 'group.delete', 'group.members']) expect(actions).toContain(a);
		const last = h.db.$client.prepare("SELECT detail FROM audit_events WHERE action = 'group.members' ORDER BY rowid DESC LIMIT 1").get() as { detail: string };
		expect(JSON.parse(last.detail)).toMatchObject({ removed: 1, deviceIds: [ids[0], ids[3]] });
	});

	it('a decommissioned device leaves the MA’s static groups for good, not only out of sight', async () => {
		const { deviceId } = h.enrollDevice(maId);
		const g = ok(G.create(maId, h.system, { name: 'Decommissioned', kind: 'static', deviceIds: [deviceId, ids[2]!] }));
		expect(g.memberCount).toBe(2);
		ok(await h.services.decommission.decommission(maId, h.system, deviceId, deviceId));
		expect(ok(G.get(maId, g.id)).memberCount).toBe(1);
		// Back in the MA (as a re-enrollment would do): it is in no group, the membership row is gone.
		h.db.$client.prepare('UPDATE enrollments SET left_at = NULL WHERE device_id = ? AND ma_id = ?').run(deviceId, maId);
		expect(ok(G.get(maId, g.id)).memberCount).toBe(1);
		ok(G.remove(maId, h.system, g.id));
	});
});
