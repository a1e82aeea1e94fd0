/** Recent batches ("jobs") of the current MA with their progress; each links to its live job page. */
import { requireAccess } from '$lib/server/auth/guard';
import { describeSteps, progressSegments } from '$lib/admin-ui/ops';
import type { OpRow } from '$lib/admin-ui/types';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url, depends }) => {
	const { maId } = requireAccess(locals, url, 'read', 'operation');
	depends('admin:jobs');
	const ops: OpRow[] = locals.app.services.operations.list(maId, { limit: 1000 });
	const batches = new Map<string, OpRow[]>();
	for (const o of ops) if (o.batchId) batches.set(o.batchId, [...(batches.get(o.batchId) ?? []), o]);
	return {
		jobs: [...batches.entries()].slice(0, 50).map(([batchId, list]) => ({
			batchId,
			createdAt: Math.min(...list.map((o) => o.createdAt)),
			steps: describeSteps(list),
			devices: new Set(list.map((o) => o.deviceId)).size,
			intent: list[0]!.intent,
			consentMode: list[0]!.consentMode,
			total: list.length,
			done: list.filter((o) => o.status === 'completed').length,
			failed: list.filter((o) => ['failed', 'expired', 'cancelled'].includes(o.status)).length,
			segments: progressSegments(list)
		}))
	};
};
