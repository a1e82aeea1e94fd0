/**
 * The devices enrolled with the current MA (SCOMO-ADC-3), searched and filtered by the query string
 * (online now, baseline, component installed, last seen), with this MA's components on each.
 */
import { requireAccess } from '$lib/server/auth/guard';
import { componentChoices, consentModesOf, fleetOf } from '$lib/admin-ui/fleet.server';
import { filterDevices, filterQuery, readFilter } from '$lib/admin-ui/device-filter';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url, depends }) => {
	const { maId } = requireAccess(locals, url, 'read', 'device');
	depends('admin:devices');
	const now = locals.app.clock();
	const { devices, inventory } = fleetOf(locals.app, maId);
	const filter = readFilter(url.searchParams);
	const shown = filterDevices(devices, (id) => inventory[id] ?? [], filter, now);
	return {
		devices: shown.map((d) => ({ ...d, inventory: inventory[d.id] ?? [] })),
		total: devices.length,
		filter,
		query: filterQuery(filter),
		baselines: [...new Set(devices.map((d) => d.baselineBuildId))].sort(),
		components: componentChoices(locals.app, maId),
		consentModes: consentModesOf(locals.app, maId),
		now
	};
};
