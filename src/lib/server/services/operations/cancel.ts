/** Cancelling an operation that has not started on its device (1462), or withdrawing it there. */
import { RC, ok } from '../../../core';
import * as opsRepo from '../../db/repos/operations';
import type { OperationRow } from '../../db/repos/operations';
import { audit } from '../audit';
import { fail, type Outcome } from '../errors';
import { operationView, type OperationView } from '../views';
import type { AuditActor } from '../deps';
import type { OperationContext } from './context';

export function operationCancel(
	{ deps, db, emitUpdated }: OperationContext,
	find: (maId: string, ref: string) => OperationRow | null,
	withdraw: (deviceId: string, ops: readonly OperationRow[]) => Promise<void>
) {
	/**
	 * Cancel an operation that has not started on the device. Queued (the device never had it): cancelled at
	 * once, 1462. Delivered or awaiting the user's consent: withdrawn on the device by an MA-signed message
	 * (the prompt disappears, nothing runs); the device's 1462 result ends it, or its own result if it had
	 * already started. Under way or finished: conflict. `reason` is an approver's, when they reject a
	 * high-risk batch: it becomes the operation's result message.
	 */
	function cancel(maId: string, actor: AuditActor, ref: string, reason?: string): Outcome<OperationView> {
		const op = find(maId, ref);
		if (!op) return fail('not_found', 'operation not found');
		const now = deps.clock();
		const outcome = db.transaction((tx) => {
			const queued = opsRepo.updateOperationFrom(tx, op.id, ['queued'], {
				status: 'cancelled',
				resultCode: RC.Cancelled,
				resultMessage: reason ? `rejected: ${reason}` : 'cancelled by the MA',
				completedAt: now
			});
			if (queued.changes > 0) {
				audit(tx, now, { maId, actor, action: 'operation.cancel', targetType: 'operation', targetId: op.id, outcome: 'ok' });
				return 'cancelled' as const;
			}
			const delivered = opsRepo.updateOperationFrom(tx, op.id, ['delivered', 'awaiting-consent'], { cancelRequestedAt: op.cancelRequestedAt ?? now });
			if (delivered.changes === 0) return 'refused' as const;
			audit(tx, now, { maId, actor, action: 'operation.cancel', targetType: 'operation', targetId: op.id, outcome: 'withdrawal-sent' });
			return 'withdrawing' as const;
		});
		if (outcome === 'refused') {
			return fail('conflict', `the operation is ${op.status}; only operations not yet started on the device can be cancelled`);
		}
		const row = opsRepo.getOperation(db, op.id)!;
		emitUpdated([row]);
		if (outcome === 'withdrawing') void withdraw(row.deviceId, [row]);
		return ok(operationView(row));
	}

	return { cancel };
}
