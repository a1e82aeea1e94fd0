/**
 * High-risk batches awaiting approval (SCOMO-SEC-02): operations the MA's policy marks high-risk (Remove by
 * default, or a fan-out above the MA's threshold) are persisted but not relayed until an owner or operator
 * approves them with their own passkey. Readable by anyone who may operate ('operate' on operations).
 */
import { appContext } from '$lib/server/app-context';
import { capabilities, requireAccess } from '$lib/server/auth/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const { maId, actor } = requireAccess(locals, url, 'operate', 'operation');
	const signing = appContext().services.signing;
	const pending = signing.approvals.pending(maId);
	const change = signing.trustChanges.pending(maId);
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
			createdBy: p.createdBy,
			devices: p.header.leafCount,
			operations: p.header.operations.map((o) => ({ kind: o.kind, componentId: o.componentId, version: o.version })),
			intent: p.header.intent,
			consentMode: p.header.consentMode,
			expiresAt: p.header.expiresAt,
			digest: p.challenge
		}))
	};
};
