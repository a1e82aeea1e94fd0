/**
 * The devices enrolled with the current MA (SCOMO-ADC-3), searched and filtered by the query string
 * (online now, baseline, component installed, last seen), with this MA's components on each.
 */
import { appContext } from '$lib/server/app-context';
import { requireAccess } from '$lib/server/auth/guard';
import { componentChoices, consentModesOf, fleetOf } from '$lib/admin-ui/fleet.server';
import { filterDevices, filterQuery, readFilter } from '$lib/admin-ui/device-filter';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url, depends }) => {
	const { maId } = requireAccess(locals, url, 'read', 'device');
	depends('admin:devices');
	const now = appContext().clock();
	const { devices, inventory } = fleetOf(maId);
	const filter = readFilter(url.searchParams);
	const shown = filterDevices(devices, (id) => inventory[id] ?? [], filter, now);
	return {
		devices: shown.map((d) => ({ ...d, inventory: inventory[d.id] ?? [] })),
		total: devices.length,
		filter,
		query: filterQuery(filter),
		baselines: [...new Set(devices.map((d) => d.baselineBuildId))].sort(),
		components: componentChoices(maId),
		consentModes: consentModesOf(maId),
		now
	};
};
