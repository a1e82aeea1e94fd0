import { describe, expect, it } from 'vitest';
import { filterDevices, filterQuery, readFilter, EMPTY_FILTER } from './device-filter';
import type { DeviceView, InventoryItemView } from '../contract/admin-protocol';

const NOW = 1_700_000_000_000;
const dev = (id: string, extra: Partial<DeviceView> = {}): DeviceView => ({
	id,
	manufacturer: 'Acme',
	model: 'Kiosk',
	baselineBuildId: 'base-1',
	softwareVersion: '1.0.0',
	kind: 'agent',
	online: false,
	lastSeenAt: null,
	enrolledAt: NOW - 1000,
	...extra
});
const deployed = (componentId: string): InventoryItemView => ({ componentId, stage: 'deployed', version: '1.0.0', state: 'Active', operational: 'Stopped', updatedAt: NOW });
const delivered = (componentId: string): InventoryItemView => ({ componentId, stage: 'delivered', version: '1.0.0', state: null, operational: null, updatedAt: NOW });

const devices = [
	dev('a', { online: true, lastSeenAt: NOW - 5000 }),
	dev('b', { model: 'Gateway', baselineBuildId: 'base-2', lastSeenAt: NOW - 2 * 3600_000 }),
	dev('c', { lastSeenAt: NOW - 30 * 24 * 3600_000 }),
	dev('d')
];
const inv: Record<string, InventoryItemView[]> = { a: [deployed('com.x.clock')], b: [delivered('com.x.clock')] };
const run = (query: string) => filterDevices(devices, (id) => inv[id] ?? [], readFilter(new URLSearchParams(query)), NOW).map((d) => d.id);

describe('device filter', () => {
	it('no filter keeps every device', () => expect(run('')).toEqual(['a', 'b', 'c', 'd']));
	it('searches every word in id, make, model, baseline and version', () => {
		expect(run('q=gateway')).toEqual(['b']);
		expect(run('q=acme+base-2')).toEqual(['b']);
		expect(run('q=nothing')).toEqual([]);
	});
	it('online now / offline', () => {
		expect(run('online=online')).toEqual(['a']);
		expect(run('online=offline')).toEqual(['b', 'c', 'd']);
	});
	it('baseline is exact (SCOMO-HLFR-9)', () => expect(run('baseline=base-2')).toEqual(['b']));
	it('component installed means deployed; ! means without it', () => {
		expect(run('component=com.x.clock')).toEqual(['a']);
		expect(run('component=!com.x.clock')).toEqual(['b', 'c', 'd']);
	});
	it('last seen windows; never-seen devices count as older', () => {
		expect(run('seen=1h')).toEqual(['a']);
		expect(run('seen=24h')).toEqual(['a', 'b']);
		expect(run('seen=older')).toEqual(['c', 'd']);
	});
	it('unknown values fall back to no filter; the query round-trips', () => {
		expect(readFilter(new URLSearchParams('online=maybe&seen=1y'))).toEqual(EMPTY_FILTER);
		expect(readFilter(new URLSearchParams(''))).toEqual(EMPTY_FILTER);
		const f = readFilter(new URLSearchParams('q=x&online=online&component=!com.x.clock'));
		expect(readFilter(new URLSearchParams(filterQuery(f)))).toEqual(f);
		expect(filterQuery(EMPTY_FILTER)).toBe('');
	});
});
