/**
 * Decommissioning a device from one MA (issue #17). The acting MA ends its enrollment and erases what it knows
 * of the device; the device is told by a message the MA key signs (core/decommission.ts) and erases the MA's
 * data there. Other MAs the device is enrolled with are untouched.
 *
 * Who may: owners and operators, and operate API tokens (the route and the console page ask the one policy
 * for 'operate' on the device). The same rank as revoking an enrollment, which already ends it and cancels the
 * MA's operations; what decommission adds is the erasure of the MA's own components (which an operator can
 * already Remove one by one) and of the MA's own notes and tags (which an operator can already edit). So it
 * grants nothing an operator cannot do today, and it stays scriptable for fleets (tokens). The typed
 * confirmation guards against slips, not against the role.
 *
 * What goes, on the server: the MA's inventory of the device (its components and their report sequences), the
 * MA's name, notes and tags of it, and its pending requests to the MA. What stays, as records: the operation
 * history (what the MA did to the device and with which result: answerable later, and the results are signed
 * by the device), the audit trail (who decommissioned it, when, when the device confirmed) and this
 * decommission itself. The enrollment row stays with `left_at` set (as after a revocation), which is what takes
 * the device out of the MA's lists, filters, counts and REST reads (they read active enrollments only).
 *
 * Delivery: the signed message is stored first, then sent if the device is online, else on its next connection,
 * until the device acks ("nothing lost"); the ack is recorded here and audited. A device left with no MA is NOT
 * revoked (its key did nothing wrong; a new enrollment code may enroll it again): the server closes its
 * connection once it has acked, and the device runtime stops connecting by itself.
 */
import { RC } from '../../core';
import { decommissionMessage } from '../../core/decommission';
import type { DecommissionAck, DecommissionMsg } from '../../contract';
import * as decommissionsRepo from '../db/repos/decommissions';
import * as devicesRepo from '../db/repos/devices';
import * as enrollmentsRepo from '../db/repos/enrollments';
import * as groupsRepo from '../db/repos/groups';
import * as operationsRepo from '../db/repos/operations';
import type { DecommissionRow } from '../db/repos/decommissions';
import type { OperationRow } from '../db/repos/operations';
import type { Q } from '../db/repos/types';
import { newId } from '../ids';
import { audit } from './audit';
import { fail, type Outcome } from './errors';
import { operationView } from './views';
import type { AuditActor, ServiceDeps } from './deps';

export type Decommissioned = { deviceId: string; maId: string; cancelled: number; acknowledged: boolean; otherMas: boolean };

/** Signs with the MA's current command key (signing/index.ts). */
export type DecommissionSigner = (maId: string, message: string) => { keyId: string; signature: string };

const CANCELLED_MESSAGE = 'cancelled: the device was decommissioned from the MA';

export function createDecommissionService(deps: Pick<ServiceDeps, 'db' | 'events' | 'clock' | 'relay' | 'log'>, sign: DecommissionSigner) {
	const db = deps.db as unknown as Q;

	/** The message as the device receives it (signed when the decommission was made). */
	const messageOf = (r: DecommissionRow): DecommissionMsg => ({
		maId: r.maId,
		deviceId: r.deviceId,
		enrolledAt: r.enrolledAt,
		nonce: r.id,
		issuedAt: r.issuedAt,
		keyId: r.keyId,
		signature: r.signature
	});

	/**
	 * Decommission `deviceId` from `maId`. `confirm` must repeat the device ID. Not enrolled with the MA (or
	 * another MA's device, or already decommissioned): not_found, like a missing one.
	 */
	async function decommission(maId: string, actor: AuditActor, deviceId: string, confirm: string): Promise<Outcome<Decommissioned>> {
		const e = enrollmentsRepo.getEnrollment(db, deviceId, maId);
		const device = devicesRepo.getDevice(db, deviceId);
		if (!e || e.leftAt !== null || !device || device.revokedAt !== null) return fail('not_found', 'device not found');
		if (confirm !== deviceId) return fail('invalid_request', 'the confirmation does not name this device', [{ path: 'confirm', message: 'must be the device ID' }]);
		const now = deps.clock();
		const nonce = newId();
		const unsigned = { maId, deviceId, enrolledAt: e.enrolledAt, nonce, issuedAt: now };
		// Signed before the transaction (it may create the MA's first key); stored in it.
		const { keyId, signature } = sign(maId, decommissionMessage(unsigned));
		const result = db.transaction((tx) => {
			enrollmentsRepo.leaveEnrollment(tx, deviceId, maId, now);
			const open = operationsRepo.listOpenOperationsOfDeviceInMa(tx, deviceId, maId);
			// Queued ones are withdrawn here; delivered ones end too: the device erases its journal for the MA.
			if (open.length > 0) {
				operationsRepo.updateOperationsByIds(
					tx,
					open.map((o) => o.id),
					{ status: 'cancelled', resultCode: RC.Cancelled, resultMessage: CANCELLED_MESSAGE, completedAt: now }
				);
			}
			const erased = decommissionsRepo.eraseMaDataOfDevice(tx, deviceId, maId);
			// Its static group memberships in this MA go too: re-enrolled later, it starts in no group.
			groupsRepo.removeDeviceFromMaGroups(tx, maId, deviceId);
			decommissionsRepo.insertDecommission(tx, { id: nonce, deviceId, maId, enrolledAt: e.enrolledAt, issuedAt: now, keyId, signature, createdBy: actor.id });
			const otherMas = enrollmentsRepo.activeMaIdsOfDevice(tx, deviceId).length > 0;
			audit(tx, now, {
				maId,
				actor,
				action: 'device.decommission',
				targetType: 'device',
				targetId: deviceId,
				outcome: 'ok',
				detail: { decommissionId: nonce, cancelled: open.length, ...erased, otherMas }
			});
			return { open, otherMas };
		});
		for (const r of result.open) {
			const row: OperationRow = { ...r, status: 'cancelled', resultCode: RC.Cancelled, resultMessage: CANCELLED_MESSAGE, completedAt: now };
			deps.events.emit('operation:updated', { ...operationView(row), maId });
		}
		deps.events.emit('inventory:changed', { deviceId });
		deps.log.info({ deviceId, maId, otherMas: result.otherMas }, 'device decommissioned from the MA');
		const row = decommissionsRepo.getDecommission(db, nonce)!;
		const acknowledged = await deliver(row);
		return { ok: true, value: { deviceId, maId, cancelled: result.open.length, acknowledged, otherMas: result.otherMas } };
	}

	/** Sends one decommission if the device is online; records its ack. True when acked. */
	async function deliver(row: DecommissionRow): Promise<boolean> {
		const relay = deps.relay();
		if (!relay.isOnline(row.deviceId)) return false;
		const ack = await relay.sendDecommission(row.deviceId, messageOf(row));
		if (!ack) return false;
		return recordAck(row, ack);
	}

	function recordAck(row: DecommissionRow, ack: DecommissionAck): boolean {
		if (!ack.ok) {
			// Refused (it should verify: we signed it for this enrollment). Kept, and sent again on the next connection.
			deps.log.warn({ deviceId: row.deviceId, maId: row.maId, code: ack.code, message: ack.message }, 'the device refused a decommission');
			return false;
		}
		const now = deps.clock();
		const first = db.transaction((tx) => {
			if (decommissionsRepo.markAcked(tx, row.id, now, ack.erased).changes === 0) return false;
			audit(tx, now, {
				maId: row.maId,
				actor: { type: 'device', id: row.deviceId },
				action: 'device.decommission.ack',
				targetType: 'device',
				targetId: row.deviceId,
				outcome: 'ok',
				detail: { decommissionId: row.id, erased: ack.erased, held: ack.held }
			});
			return true;
		});
		if (first) deps.log.info({ deviceId: row.deviceId, maId: row.maId, erased: ack.erased.length }, 'the device confirmed its decommission');
		// Enrolled with no MA now: nothing more to say to it (the device closes too); it may enroll again.
		if (enrollmentsRepo.activeMaIdsOfDevice(db, row.deviceId).length === 0) deps.relay().disconnectDevice(row.deviceId);
		return true;
	}

	/** On device authentication: every decommission it has not acked yet, oldest first. */
	async function deliverPending(deviceId: string): Promise<void> {
		try {
			const pending = decommissionsRepo.pendingOfDevice(db, deviceId).sort((a, b) => a.issuedAt - b.issuedAt);
			for (const row of pending) await deliver(row);
		} catch (e) {
			deps.log.error({ err: e, deviceId }, 'delivering a decommission failed; it is sent again on the next connection');
		}
	}

	/** Re-enrollment with the MA: an unacked decommission of the old enrollment is void (signing/enrollment). */
	function supersede(q: Q, deviceId: string, maId: string, at: number): void {
		decommissionsRepo.supersedePending(q, deviceId, maId, at);
	}

	return { decommission, deliverPending, supersede };
}

export type DecommissionService = ReturnType<typeof createDecommissionService>;
