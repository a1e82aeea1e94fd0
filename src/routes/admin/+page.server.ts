/**
 * The overview of the current MA: fleet and activity in figures (each one COUNT, never the fleet read
 * whole), and the latest results (an honest "latest N", linking to the paged operations list).
 */
import { requireAccess } from '$lib/server/auth/guard';
import type { PageServerLoad } from './$types';
import { deviceTitle } from '$lib/admin-ui/device-title';

const DAY = 24 * 3600_000;
const LATEST = 8;

export const load: PageServerLoad = ({ locals, url, parent, depends }) => {
	depends('admin:overview');
	return parent().then(({ current }) => {
		// No MA yet (the layout explains what to do): nothing to count.
		if (!current) return { stats: null };
		const { maId } = requireAccess(locals, url, 'read', 'device');
		const { services, clock } = locals.app;
		const now = clock();
		const totalOf = (r: { ok: true; value: { total: number } } | { ok: false }) => (r.ok ? r.value.total : 0);
		const figures = services.operations.figures(maId, now - DAY);
		const recent = services.operations.latestResults(maId, LATEST);
		return {
			stats: {
				devices: totalOf(services.devices.page(maId, { limit: 1 })),
				online: totalOf(services.devices.page(maId, { filter: 'online == true', limit: 1 })),
				components: totalOf(services.packages.page(maId, { limit: 1 })),
				open: figures.open,
				failedToday: figures.unsuccessfulSince,
				pendingRequests: totalOf(services.deviceRequests.page(maId, { status: 'pending', limit: 1 }))
			},
			recent,
			latest: LATEST,
			deviceNames: Object.fromEntries(services.devices.byIds(maId, recent.map((o) => o.deviceId)).map((d) => [d.id, deviceTitle(d)]))
		};
	});
};
