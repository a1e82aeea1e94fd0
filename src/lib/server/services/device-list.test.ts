/**
 * The devices list in SQL means what the filter language means in the core: for a table of filters over a
 * small fleet, the page the store returns names exactly the devices the core's evaluator matches. Also:
 * keyset paging walks every device once, names/notes/tags are per MA, and bad input is refused.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { matchesDeviceFilter, parseDeviceFilter, type FilterableDevice } from '../../core/device-filter';
import * as inventoryRepo from '../db/repos/inventory';
import * as opsRepo from '../db/repos/operations';
import * as devicesRepo from '../db/repos/devices';
import { serviceHarness } from './test-harness';

const h = serviceHarness();
afterAll(() => h.store.close());
const DAY = 86_400_000;
const acme = h.services.mas.create('Acme', h.system);
if (!acme.ok) throw new Error('no MA');
const maId = acme.value.maId;

type Spec = { name: string; tags: string[]; baseline: string; online: boolean; seenDaysAgo: number | null; result: number | null; weather?: [string, string] };
const SPECS: Spec[] = [
	{ name: 'Lobby kiosk', tags: ['lobby', 'floor=3'], baseline: 'acme-os-1.4', online: true, seenDaysAgo: 2, result: 1200, weather: ['1.4.2', 'deployed'] },
	{ name: 'Reception tablet', tags: ['floor=1'], baseline: 'globex-2', online: false, seenDaysAgo: null, result: 1401, weather: ['2.0.0', 'delivered'] },
	{ name: 'Spare 100%_off', tags: [], baseline: 'globex-2', online: false, seenDaysAgo: 30, result: null },
	{ name: 'lobby screen', tags: ['Lobby=east wing'], baseline: 'acme-os-1.10', online: true, seenDaysAgo: 0, result: 1200, weather: ['1.10.0', 'deployed'] },
	{ name: '', tags: ['floor=3'], baseline: 'acme-os-2', online: false, seenDaysAgo: 8, result: 1500, weather: ['10.0.0', 'deployed'] }
];

const ids: string[] = [];
const evaluated = new Map<string, FilterableDevice>();
for (const s of SPECS) {
	const { deviceId } = h.enrollDevice(maId, s.baseline);
	ids.push(deviceId);
	const u = h.services.devices.updateIdentity(maId, h.system, deviceId, { name: s.name, tags: s.tags });
	if (!u.ok) throw new Error(u.error.message);
	if (s.seenDaysAgo !== null) devicesRepo.touchDevice(h.db, deviceId, h.time.now - s.seenDaysAgo * DAY);
	else h.db.$client.prepare('UPDATE devices SET last_seen_at = NULL WHERE id = ?').run(deviceId);
	if (s.online) h.relay.online.add(deviceId);
	if (s.weather) {
		inventoryRepo.upsertInventoryEntry(h.db, {
			deviceId, maId, componentId: 'com.acme.weather', version: s.weather[0], stage: s.weather[1],
			deployedState: s.weather[1] === 'deployed' ? 'Active' : null, operationalState: null, updatedAt: h.time.now
		});
	}
	if (s.result !== null) {
		for (const [i, code] of [[0, 1500], [1, s.result]] as const) {
			opsRepo.insertOperations(h.db, [{
				id: `${deviceId}-${i}`, correlator: `${deviceId}-${i}`, maId, deviceId, kind: 'Start', consentMode: 'silent', status: 'completed',
				createdBy: 'test', createdAt: h.time.now, expiresAt: h.time.now + DAY, completedAt: h.time.now - (2 - i) * 1000, resultCode: code
			}]);
		}
	}
	evaluated.set(deviceId, {
		name: s.name,
		tags: s.tags.map((t) => ({ key: t.split('=')[0]!, value: t.includes('=') ? t.split('=')[1]! : null })),
		baseline: s.baseline, model: 'X', manufacturer: 'M', online: s.online,
		lastSeenAt: s.seenDaysAgo === null ? null : h.time.now - s.seenDaysAgo * DAY,
		lastResultCode: s.result,
		components: s.weather ? [{ componentId: 'com.acme.weather', version: s.weather[0], stage: s.weather[1], state: s.weather[1] === 'deployed' ? 'Active' : null, operational: null }] : []
	});
}

const sqlNames = (filter: string) => {
	const r = h.services.devices.page(maId, { filter, limit: 1000 });
	if (!r.ok) throw new Error(r.error.message);
	expect(r.value.total).toBe(r.value.items.length);
	return r.value.items.map((d) => d.name).sort();
};
const coreNames = (filter: string) => {
	const f = parseDeviceFilter(filter);
	if (!f.ok) throw new Error(f.error.message);
	return [...evaluated.values()].filter((d) => matchesDeviceFilter(f.value, d, h.time.now)).map((d) => d.name).sort();
};

describe('devices list: the SQL translation matches the core evaluator', () => {
	it.each([
		'Lobby', 'lobby kiosk', '"100%_"', '"100_"', 'name == ""', 'name != "*lobby*"', 'name == "lobby*"',
		'tag == lobby', 'tag != lobby', 'tag == "*"', 'tag.floor == 3', 'tag.FLOOR != 3', 'tag.lobby == "east*"', 'tag.lobby == "*"',
		'baseline == "acme-os-1*"', 'baseline != globex-2', 'model == x and manufacturer == "m"',
		'online == true', 'online != true', 'online == false or tag == lobby',
		'last_seen < 7d', 'last_seen >= 7d', 'last_seen > 1d', 'last_seen <= 2d',
		'last_result == 1200', 'last_result != 1200', 'last_result >= 1400', 'last_result < 1500',
		'component[com.acme.weather].version < 2.0', 'component[com.acme.weather].version >= 1.5', 'component[com.acme.weather].version == "1.*"',
		'component[com.acme.weather].version != 1.4.2', 'component[com.acme.weather].stage == delivered', 'component[com.acme.weather].state != active',
		'component[com.other].version > 0', 'component[com.other].stage != deployed',
		'not (tag == lobby or online == false)', 'tag==lobby and baseline=="acme-os-1*" and component[com.acme.weather].version < 2.0'
	])('%s', (filter) => {
		expect(sqlNames(filter)).toEqual(coreNames(filter));
	});
});

describe('devices list: pages, identity per MA, refusals', () => {
	it('walks every device once in name order, page by page, with the total on each page', () => {
		const seen: string[] = [];
		let cursor: string | undefined;
		for (let i = 0; i < 10; i++) {
			const r = h.services.devices.page(maId, { limit: 2, ...(cursor ? { cursor } : {}) });
			if (!r.ok) throw new Error(r.error.message);
			expect(r.value.total).toBe(SPECS.length);
			seen.push(...r.value.items.map((d) => d.id));
			if (!r.value.nextCursor) break;
			cursor = r.value.nextCursor;
		}
		expect(seen).toHaveLength(SPECS.length);
		expect(new Set(seen)).toEqual(new Set(ids));
		const names = seen.map((id) => evaluated.get(id)!.name);
		expect(names).toEqual([...names].sort());
	});

	it('a bad filter points at the position; a forged cursor is refused', () => {
		expect(h.services.devices.page(maId, { filter: 'tag == lobby and' })).toMatchObject({
			ok: false,
			error: { code: 'invalid_request', position: 16, message: expect.stringContaining('expected a field') }
		});
		expect(h.services.devices.page(maId, { cursor: 'bm90LWEtY3Vyc29y' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
	});

	it('names, notes and tags are per MA: another MA sees its own, and cannot touch this MA’s', () => {
		const other = h.services.mas.create('Globex', h.system);
		if (!other.ok) throw new Error('no MA');
		const only = h.services.devices.page(other.value.maId, { filter: 'Lobby' });
		expect(only).toMatchObject({ ok: true, value: { items: [], total: 0 } });
		expect(h.services.devices.updateIdentity(other.value.maId, h.system, ids[0]!, { name: 'Mine now' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
		const r = h.services.devices.updateIdentity(maId, h.system, ids[0]!, { notes: 'by the door\nsecond line', tags: ['lobby', 'floor=3', 'fixed'] });
		expect(r).toMatchObject({ ok: true, value: { name: 'Lobby kiosk', notes: 'by the door\nsecond line', tags: [{ key: 'fixed', value: null }, { key: 'floor', value: '3' }, { key: 'lobby', value: null }] } });
		expect(h.services.devices.updateIdentity(maId, h.system, ids[0]!, { tags: ['bad key'] })).toMatchObject({ ok: false, error: { code: 'invalid_request', issues: [{ path: 'tags' }] } });
		expect(h.services.devices.updateIdentity(maId, h.system, ids[0]!, { tags: ['lobby', 'fixed'] })).toMatchObject({ ok: true });
		expect(sqlNames('tag == fixed')).toEqual(['Lobby kiosk']);
	});
});
