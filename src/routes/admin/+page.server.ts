/** The overview of the current MA: fleet and activity in figures, and the latest results. */
import { requireAccess } from '$lib/server/auth/guard';
import { isTerminalStatus, type OperationStatus } from '$lib/core';
import type { PageServerLoad } from './$types';
import { deviceTitle } from '$lib/admin-ui/device-title';

const DAY = 24 * 3600_000;

export const load: PageServerLoad = ({ locals, url, parent, depends }) => {
	depends('admin:overview');
	return parent().then(({ current }) => {
		// No MA yet (the layout explains what to do): nothing to count.
		if (!current) return { stats: null };
		const { maId } = requireAccess(locals, url, 'read', 'device');
		const { services, clock } = locals.app;
		const now = clock();
		const devices = services.devices.list(maId);
		const ops = services.operations.list(maId, { limit: 500 });
		const terminal = ops.filter((o) => isTerminalStatus(o.status as OperationStatus));
		return {
			stats: {
				devices: devices.length,
				online: devices.filter((d) => d.online).map((d) => d.id),
				components: services.packages.list(maId).length,
				open: ops.filter((o) => !isTerminalStatus(o.status as OperationStatus)).length,
				failedToday: terminal.filter((o) => o.status !== 'completed' && (o.completedAt ?? 0) > now - DAY).length,
				pendingRequests: services.deviceRequests.list(maId, 'pending').length
			},
			recent: terminal.sort((a, b) => (b.completedAt ?? 0) - (a.completedAt ?? 0)).slice(0, 8),
			deviceNames: Object.fromEntries(devices.map((d) => [d.id, deviceTitle(d)]))
		};
	});
};
