/**
 * SCOMO-Device-06: a device asks an MA for an install or update from the MA's catalog. The request is
 * persisted; it is approved at once when the MA's settings say so, otherwise it waits for an
 * administrator. Approval creates a normal operation (so the usual consent and result flow applies).
 */
import type { DeviceRequestMsg } from '../../contract';
import { ok, type ConsentMode } from '../../core';
import { newId } from '../ids';
import * as reqRepo from '../db/repos/device-requests';
import * as enrollmentsRepo from '../db/repos/enrollments';
import * as masRepo from '../db/repos/mas';
import * as opsRepo from '../db/repos/operations';
import type { DeviceRequestRow } from '../db/repos/device-requests';
import { audit } from './audit';
import { fail, type Outcome } from './errors';
import { badCursor, clampLimit, decodeCursor, pageOf, type Page, type PageQuery } from './keyset-cursor';
import { parseMaSettings } from './ma-settings';
import type { OperationService } from './operations';
import type { PackageService } from './packages';
import { deviceRequestView, type DeviceRequestView, type OperationView } from './views';
import type { AuditActor, ServiceDeps } from './deps';

export type Decision = { decision: 'approve' | 'refuse'; consentMode: ConsentMode; message: string };

export function createDeviceRequestService(deps: ServiceDeps, packages: PackageService, operations: OperationService) {
	const { db } = deps;

	const view = (r: DeviceRequestRow): DeviceRequestView =>
		deviceRequestView(r, r.operationId ? (opsRepo.getOperation(db, r.operationId)?.correlator ?? null) : null);

	/** From the device; returns the request (already decided when the MA approves automatically). */
	function create(deviceId: string, msg: DeviceRequestMsg): Outcome<DeviceRequestView> {
		const e = enrollmentsRepo.getEnrollment(db, deviceId, msg.maId);
		if (!e || e.leftAt !== null) return fail('not_found', 'not enrolled with this MA');
		// The component (and version) must be in this MA's catalog.
		const resolved = packages.resolveVersion(msg.maId, msg.componentId, msg.version);
		if (!resolved.ok) return resolved;
		const now = deps.clock();
		const id = newId();
		db.transaction((tx) => {
			reqRepo.insertDeviceRequest(tx, {
				id,
				deviceId,
				maId: msg.maId,
				kind: msg.kind,
				componentId: msg.componentId,
				version: msg.version,
				note: msg.note,
				status: 'pending',
				createdAt: now
			});
			audit(tx, now, {
				maId: msg.maId,
				actor: { type: 'device', id: deviceId },
				action: 'device-request.create',
				targetType: 'device-request',
				targetId: id,
				outcome: 'ok',
				detail: { kind: msg.kind, componentId: msg.componentId, version: msg.version }
			});
		});
		const created = view(reqRepo.getDeviceRequest(db, id)!);
		deps.events.emit('device-request:created', { maId: msg.maId, request: created });

		const ma = masRepo.getMa(db, msg.maId);
		const settings = parseMaSettings(ma?.settings);
		if (settings.autoApproveDeviceRequests) {
			// The user asked for it, so notify is the natural mode; fall back to what the MA allows.
			const mode = (['notify', 'confirm', 'silent'] as const).find((m) => settings.allowedConsentModes.includes(m)) ?? 'confirm';
			const r = decide(msg.maId, { type: 'system', id: 'auto-approve' }, id, {
				decision: 'approve',
				consentMode: mode,
				message: 'approved automatically'
			});
			if (r.ok) return ok(r.value.request);
		}
		return ok(created);
	}

	/** One keyset page of the MA's requests (optionally in one status), newest first, and the total. */
	function page(maId: string, query: PageQuery & { status?: string }): Outcome<Page<DeviceRequestView>> {
		const after = query.cursor ? decodeCursor(query.cursor, ['int', 'text']) : null;
		if (query.cursor && !after) return badCursor();
		const limit = clampLimit(query.limit);
		const rows = reqRepo.listDeviceRequestPage(db, maId, query.status, after && { createdAt: after[0], id: after[1] }, limit + 1);
		const p = pageOf(rows, limit, (r) => [r.createdAt, r.id]);
		return ok({ items: p.rows.map(view), nextCursor: p.nextCursor, total: reqRepo.countDeviceRequests(db, maId, query.status) });
	}

	function ownerOf(id: string): string | null {
		return reqRepo.getDeviceRequest(db, id)?.maId ?? null;
	}

	/** An administrator (or the auto-approval) decides; approval creates the operation. */
	function decide(
		maId: string,
		actor: AuditActor,
		id: string,
		d: Decision
	): Outcome<{ request: DeviceRequestView; operation: OperationView | null }> {
		const req = reqRepo.getDeviceRequest(db, id);
		if (!req || req.maId !== maId) return fail('not_found', 'device request not found');
		if (req.status !== 'pending') return fail('conflict', `the request was already ${req.status}`);
		const now = deps.clock();
		let operation: OperationView | null = null;
		if (d.decision === 'approve') {
			const created = operations.create(maId, actor, {
				deviceIds: [req.deviceId],
				operations: [{ kind: req.kind as 'DownloadInstall' | 'Update', componentId: req.componentId, ...(req.version ? { version: req.version } : {}) }],
				consentMode: d.consentMode,
				intent: d.message || (req.note ? `You asked for this: ${req.note}`.slice(0, 500) : 'You asked for this.')
			});
			if (!created.ok) return created;
			operation = created.value.operations[0]!;
		}
		const status = d.decision === 'approve' ? 'approved' : 'refused';
		const changed = db.transaction((tx) => {
			const r = reqRepo.decideDeviceRequest(tx, id, status, operation?.id ?? null, now);
			if (r.changes === 0) return false;
			audit(tx, now, { maId, actor, action: `device-request.${d.decision}`, targetType: 'device-request', targetId: id, outcome: 'ok', detail: { correlator: operation?.correlator ?? null } });
			return true;
		});
		if (!changed) {
			if (operation) operations.cancel(maId, actor, operation.correlator);
			return fail('conflict', 'the request was decided meanwhile');
		}
		deps.relay().requestDecided(req.deviceId, {
			requestId: id,
			status,
			correlator: operation?.correlator ?? null,
			message: d.message
		});
		return ok({ request: view(reqRepo.getDeviceRequest(db, id)!), operation });
	}

	return { create, page, ownerOf, decide };
}

export type DeviceRequestService = ReturnType<typeof createDeviceRequestService>;
