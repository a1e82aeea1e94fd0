/** Expiry: operations no device answered before their deadline end with 1457, swept on an interval. */
import { RC } from '../../../core';
import * as opsRepo from '../../db/repos/operations';
import type { OperationRow } from '../../db/repos/operations';
import { audit } from '../audit';
import type { OperationContext } from './context';

export function operationExpiry({ deps, db, log, emitUpdated }: OperationContext) {
	/** Ends unanswered operations past their deadline with 1457; returns how many. */
	function expireDue(): number {
		const now = deps.clock();
		let count = 0;
		for (;;) {
			const due = opsRepo.listDueOperations(db, now, 500);
			if (due.length === 0) break;
			const expired: OperationRow[] = [];
			db.transaction((tx) => {
				for (const op of due) {
					const r = opsRepo.updateOpenOperation(tx, op.id, {
						status: 'expired',
						resultCode: RC.OperationExpired,
						resultMessage: 'no result from the device before the deadline',
						completedAt: now
					});
					if (r.changes > 0) expired.push(op);
				}
				if (expired.length > 0) {
					audit(tx, now, {
						maId: null,
						actor: { type: 'system', id: 'expiry' },
						action: 'operations.expire',
						outcome: String(RC.OperationExpired),
						detail: { count: expired.length }
					});
				}
			});
			count += expired.length;
			emitUpdated(opsRepo.listOperationsByIds(db, expired.map((o) => o.id)));
			if (due.length < 500) break;
		}
		return count;
	}

	/** Runs expireDue on an interval; the timer does not keep the process alive. Returns a stop function. */
	function startExpirySweeper(intervalMs: number, isOpen: () => boolean = () => true): () => void {
		const timer = setInterval(() => {
			if (!isOpen()) return;
			try {
				const n = expireDue();
				if (n > 0) log.info({ expired: n }, 'operations expired without an answer (1457)');
			} catch (e) {
				log.error({ err: e }, 'expiry sweep failed');
			}
		}, intervalMs);
		timer.unref();
		return () => clearInterval(timer);
	}

	return { expireDue, startExpirySweeper };
}
