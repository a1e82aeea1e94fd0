/**
 * The devices list's search and filters, as URL query parameters so that a filtered list can be
 * bookmarked, works without JavaScript, and names the same devices when an operation targets "all
 * devices matching this filter" (the server resolves it again with this same function).
 */
import type { DeviceView, InventoryItemView } from '../contract/admin-protocol';

export const ONLINE_FILTERS = ['', 'online', 'offline'] as const;
export const SEEN_FILTERS = ['', '1h', '24h', '7d', 'older'] as const;

export type DeviceFilter = {
	/** Free text: ID, manufacturer, model, baseline or software version. */
	q: string;
	online: (typeof ONLINE_FILTERS)[number];
	/** Exact baseline build ID (SCOMO-HLFR-9). */
	baseline: string;
	/** A component ID the device has installed, or `!id` for devices without it. */
	component: string;
	/** Last seen within an hour / a day / a week, or not for more than a week ('older'). */
	seen: (typeof SEEN_FILTERS)[number];
};

export const EMPTY_FILTER: DeviceFilter = { q: '', online: '', baseline: '', component: '', seen: '' };

const pick = <T extends string>(allowed: readonly T[], v: string | null): T => {
	const value = v ?? '';
	return (allowed as readonly string[]).includes(value) ? (value as T) : allowed[0]!;
};

export function readFilter(params: URLSearchParams): DeviceFilter {
	return {
		q: (params.get('q') ?? '').trim().slice(0, 100),
		online: pick(ONLINE_FILTERS, params.get('online')),
		baseline: (params.get('baseline') ?? '').slice(0, 128),
		component: (params.get('component') ?? '').slice(0, 130),
		seen: pick(SEEN_FILTERS, params.get('seen'))
	};
}

/** The query string of a filter (only the parts that are set), without the leading '?'. */
export function filterQuery(f: DeviceFilter): string {
	const p = new URLSearchParams();
	for (const [k, v] of Object.entries(f)) if (v) p.set(k, v);
	return p.toString();
}

export const isFiltered = (f: DeviceFilter) => filterQuery(f) !== '';

const HOUR = 3600_000;
const WINDOW: Record<Exclude<DeviceFilter['seen'], '' | 'older'>, number> = { '1h': HOUR, '24h': 24 * HOUR, '7d': 7 * 24 * HOUR };

export function matchesFilter(d: DeviceView, inventory: readonly InventoryItemView[], f: DeviceFilter, now: number): boolean {
	if (f.q) {
		const hay = [d.id, d.manufacturer, d.model, d.baselineBuildId, d.softwareVersion].join(' ').toLowerCase();
		if (!f.q.toLowerCase().split(/\s+/).every((w) => hay.includes(w))) return false;
	}
	if (f.online === 'online' && !d.online) return false;
	if (f.online === 'offline' && d.online) return false;
	if (f.baseline && d.baselineBuildId !== f.baseline) return false;
	if (f.component) {
		const without = f.component.startsWith('!');
		const id = without ? f.component.slice(1) : f.component;
		const has = inventory.some((i) => i.componentId === id && i.stage === 'deployed');
		if (has === without) return false;
	}
	if (f.seen) {
		// An online device is being seen right now.
		const last = d.online ? now : d.lastSeenAt;
		const recent = (ms: number) => last !== null && now - last <= ms;
		if (f.seen === 'older' ? recent(WINDOW['7d']) : !recent(WINDOW[f.seen])) return false;
	}
	return true;
}

export function filterDevices<D extends DeviceView>(
	devices: readonly D[],
	inventoryOf: (deviceId: string) => readonly InventoryItemView[],
	f: DeviceFilter,
	now: number
): D[] {
	return devices.filter((d) => matchesFilter(d, inventoryOf(d.id), f, now));
}
