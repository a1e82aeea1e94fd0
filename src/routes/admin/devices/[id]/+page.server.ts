/**
 * One device as the current MA sees it (SCOMO-ADC-3: only this MA's components): device information
 * with the baseline build ID (SCOMO-HLFR-9), the inventory (delivered and deployed components), and the
 * operations this MA ran on it. Another MA's device, or a missing one, is 404 (requireAccess).
 */
import { error } from '@sveltejs/kit';
import { requireAccess } from '$lib/server/auth/guard';
import { componentChoices, consentModesOf } from '$lib/admin-ui/fleet.server';
import { isTerminalStatus } from '$lib/core';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url, params, depends }) => {
	const { maId } = requireAccess(locals, url, 'read', 'device', params.id);
	depends('admin:device');
	const ctx = locals.app;
	const found = ctx.services.devices.get(maId, params.id);
	if (!found.ok) error(404, { message: 'Device not found', code: 'not_found' });
	const operations = ctx.services.operations.list(maId, { deviceId: params.id, limit: 100 });
	return {
		device: found.value.device,
		inventory: found.value.inventory,
		operations,
		// How far the unfinished ones got lately (download bytes are relayed live, never stored).
		progress: ctx.services.operations.progressOf(operations.filter((o) => !isTerminalStatus(o.status)).map((o) => o.id)),
		components: componentChoices(locals.app, maId),
		consentModes: consentModesOf(locals.app, maId),
		now: ctx.clock()
	};
};
