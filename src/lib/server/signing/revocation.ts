/**
 * Revoking a device (SCOMO-SEC-02): an MA ends its enrollment; its unfinished operations on the device end
 * with 1462. When no MA is left, the device itself is revoked: its sockets are closed at once and it can
 * neither authenticate again nor re-enroll with the same key (devices.authenticate, enrollment.enroll).
 */
import { RC } from '../../core';
import * as devicesRepo from '../db/repos/devices';
import * as enrollmentsRepo from '../db/repos/enrollments';
import * as operationsRepo from '../db/repos/operations';
import type { OperationRow } from '../db/repos/operations';
import type { Q } from '../db/repos/types';
import { audit } from '../services/audit';
import { fail, type Outcome } from '../services/errors';
import { operationView } from '../services/views';
import type { AuditActor, ServiceDeps } from '../services/deps';

export type Revoked = { deviceId: string; maId: string; deviceRevoked: boolean; cancelled: number };

export function createRevocation(deps: Pick<ServiceDeps, 'db' | 'events' | 'clock' | 'relay' | 'log'>) {
	const db = deps.db as unknown as Q;

	function revoke(maId: string, actor: AuditActor, deviceId: string): Outcome<Revoked> {
		const e = enrollmentsRepo.getEnrollment(db, deviceId, maId);
		const device = devicesRepo.getDevice(db, deviceId);
		if (!e || e.leftAt !== null || !device || device.revokedAt !== null) return fail('not_found', 'device not found');
		const now = deps.clock();
		const result = db.transaction((tx) => {
			enrollmentsRepo.leaveEnrollment(tx, deviceId, maId, now);
			const open = operationsRepo.listOpenOperationsOfDeviceInMa(tx, deviceId, maId);
			if (open.length > 0) {
				operationsRepo.updateOperationsByIds(
					tx,
					open.map((o) => o.id),
					{ status: 'cancelled', resultCode: RC.Cancelled, resultMessage: 'cancelled: the device left the MA', completedAt: now }
				);
			}
			const remaining = enrollmentsRepo.activeMaIdsOfDevice(tx, deviceId);
			const deviceRevoked = remaining.length === 0;
			if (deviceRevoked) devicesRepo.revokeDevice(tx, deviceId, now);
			audit(tx, now, {
				maId,
				actor,
				action: 'device.revoke',
				targetType: 'device',
				targetId: deviceId,
				outcome: 'ok',
				detail: { deviceRevoked, cancelled: open.length }
			});
			return { open, deviceRevoked };
		});
		const cancelled = result.open.map((o): OperationRow => ({ ...o, status: 'cancelled', resultCode: RC.Cancelled, resultMessage: 'cancelled: the device left the MA', completedAt: now }));
		for (const r of cancelled) deps.events.emit('operation:updated', { ...operationView(r), maId: r.maId });
		// A fully revoked device loses its connection at once; it will be refused when it tries again.
		if (result.deviceRevoked) deps.relay().disconnectDevice?.(deviceId);
		deps.log.info({ deviceId, maId, deviceRevoked: result.deviceRevoked }, 'device enrollment revoked');
		return { ok: true, value: { deviceId, maId, deviceRevoked: result.deviceRevoked, cancelled: cancelled.length } };
	}

	return { revoke };
}
