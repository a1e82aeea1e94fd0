/** The current MA's batches ("jobs"), newest first one keyset page at a time, with their progress summed on the server. */
import { requireAccess } from '$lib/server/auth/guard';
import { describeSteps, progressOfCounts } from '$lib/admin-ui/ops';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load: PageServerLoad = ({ locals, url, depends }) => {
	const { maId } = requireAccess(locals, url, 'read', 'operation');
	depends('admin:jobs');
	const jobs = locals.app.services.operations;
	const cursor = url.searchParams.get('cursor') ?? '';
	// A cursor that is not one of ours (an edited link) shows the first page rather than an error page.
	const paged = cursor ? jobs.jobPage(maId, { limit: PAGE_SIZE, cursor }) : null;
	const page = paged?.ok ? paged : jobs.jobPage(maId, { limit: PAGE_SIZE });
	const { items, total, nextCursor } = page.ok ? page.value : { items: [], total: 0, nextCursor: null };
	return {
		jobs: items.map((j) => {
			const segments = progressOfCounts(j.statusCounts);
			return {
				batchId: j.batchId,
				createdAt: j.createdAt,
				steps: describeSteps(j.steps),
				devices: j.devices,
				intent: j.intent,
				consentMode: j.consentMode,
				total: j.total,
				done: segments.succeeded,
				failed: segments.failed,
				segments
			};
		}),
		total,
		nextCursor,
		paged: paged?.ok === true
	};
};
