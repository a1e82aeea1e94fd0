/**
 * What devices report: progress (live to the consoles; a status change is stored) and results, stored once
 * per correlator through the group commit and acknowledged only after their COMMIT.
 */
import { RC, isSuccessCode, isTerminalStatus, ok, type OperationStatus } from '../../../core';
import type { OperationResultMsg, ProgressMsg } from '../../../contract';
import type { AdminProgressEvent } from '../../../contract/admin-protocol';
import * as opsRepo from '../../db/repos/operations';
import type { OperationRow } from '../../db/repos/operations';
import { audit } from '../audit';
import { fail, type Outcome } from '../errors';
import { applyInventoryEntry, replaceMaInventory } from '../inventory';
import type { OperationContext } from './context';

/** How many operations' latest progress the server keeps in memory, and for how long. */
const PROGRESS_KEPT = 5000;
const PROGRESS_KEPT_MS = 10 * 60_000;

export function operationResults({ deps, db, writes, emitUpdated }: OperationContext) {
	/**
	 * The latest progress per operation, in memory only: a page opened in the middle of a download shows how far
	 * it got. Byte ticks are too frequent to store; a restart forgets them and the next tick brings them back.
	 * Bounded (oldest dropped first) and aged out, so it never grows with the operations ever run.
	 */
	const latestProgress = new Map<string, AdminProgressEvent>();

	/**
	 * Progress: consent wait or a step under way, with the SCOMO Download status 30/40/50 and download bytes.
	 * A status change is written through the group commit with the turn's other writes.
	 */
	async function recordProgress(
		deviceId: string,
		msg: ProgressMsg,
		// The caller that authorised the message already read the operation: one read per message, not two.
		op: OperationRow | undefined = opsRepo.getOperationByCorrelator(db, msg.correlator)
	): Promise<Outcome<void>> {
		if (!op || op.deviceId !== deviceId) return fail('not_found', 'no such operation for this device');
		if (isTerminalStatus(op.status as OperationStatus)) return ok(undefined); // late progress changes nothing
		const now = deps.clock();
		const set: Partial<OperationRow> = { status: msg.phase, deliveredAt: op.deliveredAt ?? now };
		if (msg.downloadStatus !== undefined) set.downloadStatus = msg.downloadStatus;
		// A byte tick repeats the stored status: no write, no `operation` event, only the live relay below.
		const changes = op.status !== set.status || op.deliveredAt === null || (set.downloadStatus !== undefined && set.downloadStatus !== op.downloadStatus);
		// The row after the update is `op` with `set` applied: no second read (bench/ profile).
		const changed = changes && (await writes.submit((tx) => opsRepo.updateOpenOperation(tx, op.id, set).changes > 0));
		if (changed) emitUpdated([{ ...op, ...set }]);
		const progress: AdminProgressEvent = {
			id: op.id,
			correlator: op.correlator,
			batchId: op.batchId,
			deviceId,
			phase: msg.phase,
			downloadStatus: set.downloadStatus ?? op.downloadStatus,
			bytesDone: msg.bytesDone ?? null,
			bytesTotal: msg.bytesTotal ?? null,
			at: now
		};
		latestProgress.delete(op.id);
		latestProgress.set(op.id, progress);
		if (latestProgress.size > PROGRESS_KEPT) latestProgress.delete(latestProgress.keys().next().value!);
		deps.events.emit('operation:progress', { ...progress, maId: op.maId });
		return ok(undefined);
	}

	/** The latest progress of these operations, when a device reported some lately (see latestProgress). */
	function progressOf(ids: readonly string[]): AdminProgressEvent[] {
		const since = deps.clock() - PROGRESS_KEPT_MS;
		return ids.flatMap((id) => {
			const p = latestProgress.get(id);
			return p && p.at >= since ? [p] : [];
		});
	}

	/**
	 * SCOMO OperationComplete: stored once per correlator. A repeated or late result (the operation has
	 * finished, expired or was cancelled) changes nothing and is answered duplicate: true, so the device
	 * can drop it from its outbox either way.
	 *
	 * Written through the group commit: the promise settles after the COMMIT holding this result, so the ack
	 * the device gets means "persisted". Two copies in one group stay one: the update only moves an open row.
	 */
	async function recordResult(
		deviceId: string,
		msg: OperationResultMsg,
		op: OperationRow | undefined = opsRepo.getOperationByCorrelator(db, msg.correlator)
	): Promise<Outcome<{ duplicate: boolean }>> {
		if (!op || op.deviceId !== deviceId) return fail('not_found', 'no such operation for this device');
		if (isTerminalStatus(op.status as OperationStatus)) return ok({ duplicate: true });
		const now = deps.clock();
		// 1462 from the device: it withdrew the operation (cancelled by the MA) before it started.
		const status: OperationStatus = isSuccessCode(msg.resultCode) ? 'completed' : msg.resultCode === RC.Cancelled ? 'cancelled' : 'failed';
		const set = { status, resultCode: msg.resultCode, resultMessage: msg.message, completedAt: now, deliveredAt: op.deliveredAt ?? now };
		const stored = await writes.submit((tx) => {
			if (opsRepo.closeOpenOperation(tx, op.id, set) === 0) return false;
			if (msg.resultCode === RC.Cancelled) {
				// Withdrawn before it started: nothing changed on the device, the inventory stays as it is.
			} else if (op.kind === 'Inventory') {
				if (msg.inventory) replaceMaInventory(tx, deviceId, op.maId, msg.inventory, now, msg.seq);
			} else if (op.componentId) {
				// Only the operation's own component: a result cannot touch another MA's entries (ADC-3).
				const entry = msg.entry && msg.entry.componentId === op.componentId ? msg.entry : msg.entry === null ? null : undefined;
				// The operation's MA owns its component (checked when it was created): the entry is filed under it.
				if (entry !== undefined) applyInventoryEntry(tx, deviceId, op.maId, op.componentId, entry, now, msg.seq);
			}
			audit(tx, now, {
				maId: op.maId,
				actor: { type: 'device', id: deviceId },
				action: 'operation.result',
				targetType: 'operation',
				targetId: op.id,
				outcome: String(msg.resultCode),
				detail: { correlator: op.correlator, kind: op.kind, componentId: op.componentId, message: msg.message, deviceCompletedAt: msg.completedAt }
			});
			return true;
		});
		if (!stored) return ok({ duplicate: true });
		// The stored row is `op` with `set` applied: no second read (bench/ profile).
		emitUpdated([{ ...op, ...set }]);
		deps.events.emit('inventory:changed', { deviceId });
		return ok({ duplicate: false });
	}

	/** The operation a device message names, read once and handed to authorisation and recording. */
	const byCorrelator = (correlator: string): OperationRow | undefined => opsRepo.getOperationByCorrelator(db, correlator);

	return { recordProgress, progressOf, recordResult, byCorrelator };
}
