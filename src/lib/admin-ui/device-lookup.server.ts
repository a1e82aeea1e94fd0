/**
 * A device named in a console form by its ID or by (part of) its name, looked up with the devices filter in
 * SQL: a few rows at most, never the whole fleet (the operations page's device field; it replaces a
 * drop-down of every device).
 */
import type { AppContext } from '../server/app-context';
import { deviceTitle } from './device-title';

export type DeviceChoice = { id: string; label: string; online: boolean };
/** `device`: the one device meant (its exact ID, or the only name that matches); `matches`: the candidates when several do. */
export type DeviceLookup = { device: DeviceChoice | null; matches: DeviceChoice[]; more: number };

const SHOWN = 10;
const choice = (d: { id: string; name: string; manufacturer: string; model: string; online: boolean }): DeviceChoice => ({ id: d.id, label: deviceTitle(d), online: d.online });

export function lookUpDevice({ services }: AppContext, maId: string, ref: string): DeviceLookup {
	const text = ref.trim();
	if (!text) return { device: null, matches: [], more: 0 };
	const byId = services.devices.byIds(maId, [text])[0];
	if (byId) return { device: choice(byId), matches: [], more: 0 };
	// Plain words in the filter language are "names containing them"; text that is no filter matches nothing.
	const page = services.devices.page(maId, { filter: text, limit: SHOWN });
	if (!page.ok) return { device: null, matches: [], more: 0 };
	const found = page.value.items.map(choice);
	if (page.value.total === 1) return { device: found[0]!, matches: [], more: 0 };
	return { device: null, matches: found, more: page.value.total - found.length };
}
