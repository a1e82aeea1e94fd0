/**
 * Creating operations: one batch for one or many devices, resolved against the MA's own components (ADC-3),
 * committed in one transaction BEFORE anything is relayed, signed once for the whole fan-out, and held for a
 * passkey when high-risk (SCOMO-SEC-02).
 */
import { OPERATION_INFO, RC, ok } from '../../../core';
import type { CreateOperationsBody } from '../../../contract';
import { newId, newSecret } from '../../ids';
import * as opsRepo from '../../db/repos/operations';
import * as batchesRepo from '../../db/repos/batches';
import * as devicesRepo from '../../db/repos/devices';
import * as masRepo from '../../db/repos/mas';
import * as pkgs from '../../db/repos/packages';
import type { OperationRow } from '../../db/repos/operations';
import type { Q } from '../../db/repos/types';
import { audit } from '../audit';
import type { ErrorCode } from '../../../contract';
import { fail, type Outcome } from '../errors';
import type { RolloutBatch } from '../../signing/envelopes';
import { isCompatible } from '../catalog';
import { parseMaSettings } from '../ma-settings';
import { operationView, type OperationView } from '../views';
import type { AuditActor } from '../deps';
import type { OperationContext } from './context';

/**
 * A device the server already expects to refuse an operation (its baseline is not one the package names):
 * 1413 in advance. The operation is still created and sent: the device is the final judge (SCOMO-HLFR-9).
 */
export type OperationWarning = { deviceId: string; correlator: string; resultCode: number; message: string };

/**
 * approval 'pending': a high-risk batch, persisted but relayed only once an administrator's passkey approves it.
 * warnings: one per operation a device will most likely refuse (empty when none).
 */
export type CreatedOperations = {
	batchId: string;
	operations: OperationView[];
	warnings: OperationWarning[];
	approval: 'not-required' | 'pending';
};

/**
 * What a caller creating operations on behalf of something else (a rollout) adds: `within` runs inside the
 * transaction that commits the batch, so the caller's own record of it (rollout_devices) commits with it and a
 * crash cannot leave one without the other.
 */
export type CreateOptions = {
	within?: (tx: Q, batchId: string, rows: readonly OperationRow[]) => void;
	/**
	 * A batch of an approved rollout: signed with the rollout's definition and passkey approval (issue #17), so it
	 * relays at once. Checked inside the create transaction: a batch the approval does not cover is never stored.
	 */
	rollout?: RolloutBatch;
};

/** Thrown inside the create transaction to roll it back when a rollout approval does not cover the batch. */
class NotCovered extends Error {
	constructor(readonly outcome: { code: ErrorCode; message: string }) {
		super(outcome.message);
	}
}

/**
 * Correlators are random, so a device cannot guess another device's (and they are unique by index). Never
 * starting with '-': a correlator is typed or pasted as a command-line argument (`npm run scomo --
 * operations show <correlator>`), where a leading '-' reads as an option. Costs under 1/64 of a bit.
 */
export function newCorrelator(): string {
	for (;;) {
		const c = newSecret(16);
		if (!c.startsWith('-')) return c;
	}
}

export function operationCreation(
	{ deps, db, signing, packages, emitUpdated }: OperationContext,
	relayNew: (deviceIds: readonly string[], rows: readonly OperationRow[]) => Promise<void>
) {
	/** Creates one batch of operations for one or many devices; rows are committed before any relay. */
	function create(maId: string, actor: AuditActor, body: CreateOperationsBody, options: CreateOptions = {}): Outcome<CreatedOperations> {
		const ma = masRepo.getMa(db, maId);
		if (!ma) return fail('not_found', 'MA not found');
		const settings = parseMaSettings(ma.settings);
		if (!settings.allowedConsentModes.includes(body.consentMode)) {
			return fail('forbidden', `consent mode ${body.consentMode} is not allowed by this MA's settings (allowed: ${settings.allowedConsentModes.join(', ')})`);
		}

		// Resolve every step once: the component must be this MA's (ADC-3), the version must exist.
		const steps: {
			kind: string;
			componentId: string | null;
			versionId: string | null;
			version: string | null;
			baselines?: string[];
		}[] = [];
		for (const [i, s] of body.operations.entries()) {
			const info = OPERATION_INFO[s.kind];
			if (!info.targetsComponent) {
				steps.push({ kind: s.kind, componentId: null, versionId: null, version: null });
				continue;
			}
			if (!s.componentId) return fail('invalid_request', `${s.kind} needs a componentId`, [{ path: `operations.${i}.componentId`, message: 'required' }]);
			if (info.needsPackage) {
				const r = packages.resolveVersion(maId, s.componentId, s.version);
				if (!r.ok) return r;
				steps.push({
					kind: s.kind,
					componentId: s.componentId,
					versionId: r.value.version.id,
					version: r.value.version.version,
					baselines: JSON.parse(r.value.version.compatibleBaselines) as string[]
				});
			} else {
				const p = pkgs.getPackageOfMa(db, maId, s.componentId);
				if (!p) return fail('not_found', `component ${s.componentId} not found`);
				steps.push({ kind: s.kind, componentId: s.componentId, versionId: null, version: s.version ?? null });
			}
		}

		// Only devices enrolled with this MA exist for it (ADC-3): anything else is not_found.
		const deviceIds = [...new Set(body.deviceIds)];
		const enrolled = devicesRepo.enrolledDeviceIds(db, maId, deviceIds);
		const missing = deviceIds.find((id) => !enrolled.has(id));
		if (missing) return fail('not_found', `device ${missing} not found`);

		const now = deps.clock();
		const expiresAt = now + deps.config().operationTtlMs;
		const batchId = newId();
		const rows: OperationRow[] = [];
		for (const deviceId of deviceIds) {
			steps.forEach((s, seq) =>
				rows.push({
					id: newId(),
					correlator: newCorrelator(),
					maId,
					deviceId,
					batchId,
					seq,
					kind: s.kind,
					componentId: s.componentId,
					packageVersionId: s.versionId,
					targetVersion: s.version,
					consentMode: body.consentMode,
					intent: body.intent,
					status: 'queued',
					downloadStatus: null,
					resultCode: null,
					resultMessage: null,
					createdBy: `${actor.type}:${actor.id}`,
					createdAt: now,
					deliveredAt: null,
					completedAt: null,
					expiresAt,
					cancelRequestedAt: null
				})
			);
		}
		// The trust statement the batch is checked against, made (and stored) before the transaction that may roll back.
		if (options.rollout) signing.trust.current(maId);
		// Persist before relay: once this commits, a crash can no longer lose the operation.
		try {
			db.transaction((tx) => {
				batchesRepo.insertBatch(tx, {
					id: batchId,
					maId,
					consentMode: body.consentMode,
					intent: body.intent,
					createdBy: `${actor.type}:${actor.id}`,
					createdAt: now
				});
				opsRepo.insertOperations(tx, rows);
				audit(tx, now, {
					maId,
					actor,
					action: 'operations.create',
					targetType: 'batch',
					targetId: batchId,
					outcome: 'ok',
					detail: { devices: deviceIds.length, steps: steps.map((s) => `${s.kind}${s.componentId ? ` ${s.componentId}` : ''}${s.version ? `@${s.version}` : ''}`), consentMode: body.consentMode }
				});
				options.within?.(tx, batchId, rows);
				if (options.rollout) {
					const signed = signing.prepareBatch(batchId, rows, options.rollout);
					if (!signed.ok) throw new NotCovered(signed.error);
				}
			});
		} catch (e) {
			if (e instanceof NotCovered) return fail(e.outcome.code, e.outcome.message);
			throw e;
		}
		emitUpdated(rows);
		const warnings = baselineWarnings(deviceIds, steps, rows);
		// SCOMO-SEC-01: one signature for the whole fan-out; a high-risk batch waits for a passkey (SEC-02). A rollout's
		// batch was signed above with its approval.
		const approval = options.rollout ? 'approved' : (signing.prepareBatch(batchId, rows)?.approval ?? 'not-required');
		if (approval !== 'pending') void relayNew(deviceIds, rows);
		return ok({ batchId, operations: rows.map(operationView), warnings, approval: approval === 'pending' ? ('pending' as const) : ('not-required' as const) });
	}

	/**
	 * Early 1413: the server knows each device's enrolled baseline, so it can say at once which devices a
	 * package excludes. Only a warning: the device still checks, and its answer is the result.
	 */
	function baselineWarnings(
		deviceIds: readonly string[],
		steps: readonly { kind: string; componentId: string | null; version: string | null; baselines?: string[] }[],
		rows: readonly OperationRow[]
	): OperationWarning[] {
		const picky = steps.map((s, seq) => ({ ...s, seq })).filter((s) => s.baselines !== undefined);
		if (picky.length === 0) return [];
		const baselines = devicesRepo.baselinesOf(db, deviceIds);
		const correlatorOf = new Map(rows.map((r) => [`${r.deviceId} ${r.seq}`, r.correlator]));
		const warnings: OperationWarning[] = [];
		for (const deviceId of deviceIds) {
			const baseline = baselines.get(deviceId) ?? '';
			for (const s of picky) {
				if (isCompatible(s.baselines!, baseline)) continue;
				warnings.push({
					deviceId,
					correlator: correlatorOf.get(`${deviceId} ${s.seq}`)!,
					resultCode: RC.UnsupportedEnvironment,
					message: `${s.componentId} ${s.version} is built for ${s.baselines!.join(', ')}; this device runs ${baseline}, so it will most likely refuse it (1413).`
				});
			}
		}
		return warnings;
	}

	return { create };
}
