/**
 * One job (batch): its operations on every device, and the actions on it: retry what failed (from each
 * device's first unsuccessful step, as new batches confirmed once per device) and cancel what is still
 * queued. Another MA's batch, or a missing one, is 404.
 */
import { error, fail, redirect } from '@sveltejs/kit';
import { requireAccess } from '$lib/server/auth/guard';
import { ERROR_CODES } from '$lib/contract/errors';
import { parse } from '$lib/contract/common';
import { CreateOperations } from '$lib/contract/rest';
import { retryPlan } from '$lib/admin-ui/ops';
import { issuesInWords } from '$lib/admin-ui/words';
import type { OpRow } from '$lib/admin-ui/types';
import { isTerminalStatus } from '$lib/core';
import type { Actions, PageServerLoad } from './$types';
import { deviceTitle } from '$lib/admin-ui/device-title';

/** A batch is at most 100,000 devices × 20 steps by contract; the page shows the first 1000 operations. */
const LIMIT = 1000;

function batchOps({ services }: App.Locals['app'], maId: string, batchId: string): OpRow[] {
	return services.operations.list(maId, { batchId, limit: LIMIT });
}

export const load: PageServerLoad = ({ locals, url, params, depends }) => {
	const { maId } = requireAccess(locals, url, 'read', 'operation');
	depends('admin:job');
	const ops = batchOps(locals.app, maId, params.batchId);
	if (ops.length === 0) error(404, { message: 'Job not found', code: 'not_found' });
	const ids = new Set(ops.map((o) => o.deviceId));
	// The devices of the operations shown (at most LIMIT), never the fleet.
	const devices = locals.app.services.devices.byIds(maId, [...ids]).map((d) => ({ id: d.id, label: deviceTitle(d), online: d.online }));
	// SCOMO-SEC-02: a high-risk batch is held until an owner or operator approves it with a passkey.
	const awaitingApproval = locals.app.services.signing.approvals.pending(maId).some((p) => p.batchId === params.batchId);
	// How far the unfinished ones got lately (download bytes are relayed live, never stored): the bars show at once.
	const progress = locals.app.services.operations.progressOf(ops.filter((o) => !isTerminalStatus(o.status)).map((o) => o.id));
	return { batchId: params.batchId, ops, devices, truncated: ops.length >= LIMIT, awaitingApproval, progress };
};

export const actions: Actions = {
	retry: async ({ locals, url, params }) => {
		const { actor, maId } = requireAccess(locals, url, 'operate', 'operation');
		const ops = batchOps(locals.app, maId, params.batchId);
		if (ops.length === 0) error(404, { message: 'Job not found', code: 'not_found' });
		const plan = retryPlan(ops);
		if (plan.length === 0) return fail(409, { error: 'Nothing to retry: no device has finished with a failure.' });
		const first = ops[0]!;
		const created: string[] = [];
		for (const group of plan) {
			const body = parse(CreateOperations, {
				deviceIds: group.deviceIds,
				operations: group.steps.map((s) => ({ kind: s.kind, ...(s.componentId ? { componentId: s.componentId } : {}), ...(s.version ? { version: s.version } : {}) })),
				consentMode: first.consentMode,
				intent: first.intent
			});
			if (!body.ok) return fail(400, { error: issuesInWords(body.issues) });
			const r = locals.app.services.operations.create(maId, { type: 'admin', id: actor.id }, body.value);
			if (!r.ok) return fail(ERROR_CODES[r.error.code].status, { error: r.error.message });
			created.push(r.value.batchId);
		}
		redirect(303, created.length === 1 ? `/admin/jobs/${created[0]}` : '/admin/jobs');
	},

	cancelQueued: async ({ locals, url, params }) => {
		const { actor, maId } = requireAccess(locals, url, 'operate', 'operation');
		// Not started yet: queued ones end at once; delivered or awaiting the user are withdrawn on the device.
		const open = batchOps(locals.app, maId, params.batchId).filter(
			(o) => (o.status === 'queued' || o.status === 'delivered' || o.status === 'awaiting-consent') && o.cancelRequestedAt === null
		);
		let cancelled = 0;
		for (const o of open) if (locals.app.services.operations.cancel(maId, { type: 'admin', id: actor.id }, o.correlator).ok) cancelled++;
		return {
			message:
				cancelled === 0
					? 'Nothing was waiting to be cancelled.'
					: `${cancelled} operation${cancelled === 1 ? '' : 's'} cancelled; those already on a device are withdrawn there (Operation cancelled, 1462).`
		};
	}
};
