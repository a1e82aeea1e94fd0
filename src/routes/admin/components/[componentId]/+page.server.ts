/** One component of the current MA: its versions and which devices run (or hold) which version. */
import { error } from '@sveltejs/kit';
import { requireAccess } from '$lib/server/auth/guard';
import { componentChoices, consentModesOf, fleetOf } from '$lib/admin-ui/fleet.server';
import { compareVersions } from '$lib/core/semver';
import type { PageServerLoad } from './$types';
import { deviceTitle } from '$lib/admin-ui/device-title';

export const load: PageServerLoad = ({ locals, url, params, depends }) => {
	const { maId } = requireAccess(locals, url, 'read', 'package', params.componentId);
	depends('admin:components');
	const pkg = locals.app.services.packages.get(maId, params.componentId);
	if (!pkg.ok) error(404, { message: 'Component not found', code: 'not_found' });
	const { devices, inventory } = fleetOf(locals.app, maId);
	return {
		pkg: { ...pkg.value, versions: [...pkg.value.versions].sort((a, b) => compareVersions(b.version, a.version)) },
		deviceCount: devices.length,
		// Each device with its entry of this component (null: not on it). The page lists holders per version and
		// offers devices to the operation dialog from it, and applies inventory:changed to it live.
		devices: devices.map((d) => ({
			id: d.id,
			label: deviceTitle(d),
			online: d.online,
			baseline: d.baselineBuildId,
			item: (inventory[d.id] ?? []).find((i) => i.componentId === params.componentId) ?? null
		})),
		components: componentChoices(locals.app, maId),
		consentModes: consentModesOf(locals.app, maId)
	};
};
