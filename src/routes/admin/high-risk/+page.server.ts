/**
 * High-risk batches awaiting approval (SCOMO-SEC-02): operations the MA's policy marks high-risk (Remove by
 * default, or a fan-out above the MA's threshold) are persisted but not relayed until an owner or operator
 * approves them with their own passkey, or rejects them with a reason (their operations end cancelled,
 * 1462, with the reason as result message). Readable by anyone who may operate ('operate' on operations);
 * approving and rejecting are decided by the one policy ('approve' / 'reject' on the batch, core/policy.ts).
 */
import { fail } from '@sveltejs/kit';
import { capabilities, requireAccess } from '$lib/server/auth/guard';
import { getAdmin } from '$lib/server/auth/accounts';
import { authorizeResource } from '$lib/server/authz';
import { audit } from '$lib/server/services/audit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url, depends }) => {
	const { maId, actor } = requireAccess(locals, url, 'operate', 'operation');
	depends('admin:approvals');
	const ctx = locals.app;
	const signing = ctx.services.signing;
	const pending = signing.approvals.pending(maId);
	const change = signing.trustChanges.pending(maId);
	// People by name ("Dana Ops"), never by ID ("admin:01a2…"); scripts as what they are.
	const nameOf = (createdBy: string) => {
		const [type, id = ''] = createdBy.split(':');
		if (type === 'admin') return getAdmin(ctx.store.db, id)?.displayName ?? 'a former member';
		return type === 'token' ? 'an API token (a script)' : 'the system';
	};
	return {
		trustChange: change && {
			epoch: change.grant.epoch,
			added: change.added,
			removed: change.removed,
			policy: change.policy,
			rpChanged: change.rpChanged,
			blocked: change.blocked,
			digest: change.challenge
		},
		canApproveTrust: capabilities(actor, maId).manage,
		batches: pending.map((p) => ({
			batchId: p.batchId,
			createdAt: p.createdAt,
			createdBy: nameOf(p.createdBy),
			devices: p.header.leafCount,
			operations: p.header.operations.map((o) => ({ kind: o.kind, componentId: o.componentId, version: o.version })),
			intent: p.header.intent,
			consentMode: p.header.consentMode,
			expiresAt: p.header.expiresAt,
			digest: p.challenge
		}))
	};
};

const NOT_WAITING = 'This request is no longer waiting: it was approved, rejected or cancelled meanwhile.';

export const actions: Actions = {
	reject: async ({ locals, url, request }) => {
		const { actor, maId } = requireAccess(locals, url, 'operate', 'operation');
		const ctx = locals.app;
		const form = await request.formData();
		const batchId = String(form.get('batchId') ?? '');
		const reason = String(form.get('reason') ?? '').trim();
		// The one policy decides; another MA's batch and a missing one get the same answer as one no longer waiting.
		const may = authorizeResource(ctx.store.db, { actor, maId }, 'reject', 'batch', batchId);
		if (!may.ok && may.error.code === 'forbidden') {
			return fail(403, { batchId, field: 'form', error: 'Only owners and operators approve or reject operations.' });
		}
		if (reason.length === 0) return fail(400, { batchId, field: 'reason', error: 'Say why you reject it: the requester reads this.' });
		if (reason.length > 300) return fail(400, { batchId, field: 'reason', error: 'Keep the reason under 300 characters.' });
		// Not waiting (any more), or another MA's: the same answer.
		const pending = ctx.services.signing.approvals.pendingOne(maId, batchId);
		if (!may.ok || !pending.ok) return fail(404, { batchId, field: 'form', error: NOT_WAITING });
		const who = { type: 'admin' as const, id: actor.id };
		let cancelled = 0;
		for (const op of ctx.services.operations.list(maId, { batchId, limit: 1000 })) {
			if (op.status !== 'queued' && op.status !== 'delivered') continue;
			if (ctx.services.operations.cancel(maId, who, op.correlator, reason).ok) cancelled++;
		}
		audit(ctx.store.db, ctx.clock(), { maId, actor: who, action: 'batch.reject', targetType: 'batch', targetId: batchId, outcome: 'ok', detail: { reason, operations: cancelled } });
		return { rejected: batchId, message: `Rejected. ${cancelled} operation${cancelled === 1 ? '' : 's'} will not run.` };
	}
};
