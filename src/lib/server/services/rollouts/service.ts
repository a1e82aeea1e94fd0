/**
 * Staged rollouts (issue #17), the service: create a rollout (a draft), read it (definition, status, per-phase
 * tallies, timeline from the audit log, devices with their live operation), and the operator's actions: start,
 * pause, resume (which also confirms a phase that waits for a person), abort (queued and not-yet-run commands
 * withdrawn through the operations' cancel path) and retry-failures. The scheduler (scheduler.ts) moves running
 * rollouts on; both share the transitions in transitions.ts. Every action is audited with targetType 'rollout':
 * the audit rows are the rollout's timeline. docs/rollouts.md describes the model.
 */
import * as v from 'valibot';
import { OPERATION_INFO, ok } from '../../../core';
import { compileWindow } from '../../../core/rollout';
import { parseDeviceFilter } from '../../../core/device-filter';
import { RolloutDefinitionSchema, type RolloutDefinition, type RolloutDetail, type RolloutDevicePage, type RolloutPage, type RolloutView } from '../../../contract/rollouts';
import { newId } from '../../ids';
import * as repo from '../../db/repos/rollouts';
import * as auditRepo from '../../db/repos/audit';
import * as pkgs from '../../db/repos/packages';
import { audit } from '../audit';
import { fail, type Outcome } from '../errors';
import type { AuditActor, ServiceDeps } from '../deps';
import type { OperationService } from '../operations';
import type { PackageService } from '../packages';
import type { RolloutDefinition as ApprovedDefinition } from '../../../core/rollout-approval';
import type { RolloutBatch } from '../../signing/envelopes';
import type { AssertionResponse } from '../../signing/assertion-response';
import type { SigningService } from '../../signing';
import type { RolloutTargets } from './targets';
import { decodeRolloutCursor, decodeRolloutDeviceCursor, encodeRolloutCursor, encodeRolloutDeviceCursor } from './cursor';
import { rolloutTransitions, phaseTallies, rolloutTally, type RolloutDeps } from './transitions';
import { isHighRiskRollout } from './risk';
import { batchIntent } from './batch-intent';

export const DEFAULT_PAGE_SIZE = 100;
/** How many timeline entries a rollout's detail shows (newest last). */
const TIMELINE_LIMIT = 500;

export type RolloutListQuery = { status?: string; limit?: number; cursor?: string };
export type RolloutDeviceQuery = { phase?: number; state?: string; limit?: number; cursor?: string };

/** How long an approval of a rollout without an end time stays valid: its batches may not outlive it. */
export const APPROVAL_VALID_MS = 90 * 24 * 60 * 60_000;


export function createRolloutService(
	deps: ServiceDeps,
	operations: OperationService,
	signing: SigningService,
	targets: RolloutTargets,
	packages: Pick<PackageService, 'resolveVersion'>
) {
	const { db } = deps;
	const rd: RolloutDeps = { deps, operations, targets };
	const t = rolloutTransitions(rd);

	const parseDefinition = (row: repo.RolloutRow) => JSON.parse(row.definition) as RolloutDefinition;

	/** Checks what the schema cannot: the filter parses, windows compile, components exist, phase names. */
	function check(maId: string, d: RolloutDefinition): Outcome<void> {
		if (d.target.kind === 'filter' && d.target.filter.trim() !== '') {
			const p = parseDeviceFilter(d.target.filter);
			if (!p.ok) {
				return fail('invalid_request', `target.filter: ${p.error.message} (at character ${p.error.position + 1})`, [{ path: 'target.filter', message: p.error.message }]);
			}
		}
		for (const [i, w] of d.windows.entries()) {
			const c = compileWindow(w);
			if (!c.ok) return fail('invalid_request', `windows.${i}.${c.error.field}: ${c.error.message}`, [{ path: `windows.${i}.${c.error.field}`, message: c.error.message }]);
		}
		for (const [i, s] of d.steps.operations.entries()) {
			if (!OPERATION_INFO[s.kind].targetsComponent) continue;
			if (!s.componentId) return fail('invalid_request', `${s.kind} needs a componentId`, [{ path: `steps.operations.${i}.componentId`, message: 'required' }]);
			if (!pkgs.getPackageOfMa(db, maId, s.componentId)) return fail('not_found', `component ${s.componentId} not found`);
		}
		const { startAt, endAt } = d.schedule;
		if (startAt !== null && endAt !== null && endAt <= startAt) {
			return fail('invalid_request', 'schedule.endAt must be after schedule.startAt', [{ path: 'schedule.endAt', message: 'must be after startAt' }]);
		}
		if (d.retry.maxDelayMs < d.retry.firstDelayMs) {
			return fail('invalid_request', 'retry.maxDelayMs must not be below retry.firstDelayMs', [{ path: 'retry.maxDelayMs', message: 'below firstDelayMs' }]);
		}
		return ok(undefined);
	}

	/** A new rollout, as a draft: nothing is sent until it is started. */
	function create(maId: string, actor: AuditActor, input: unknown): Outcome<RolloutView> {
		const parsed = v.safeParse(RolloutDefinitionSchema, input);
		if (!parsed.success) {
			const issues = parsed.issues.slice(0, 10).map((i) => ({ path: v.getDotPath(i) ?? '', message: i.message }));
			return fail('invalid_request', 'the rollout definition does not match the contract', issues);
		}
		const d = parsed.output;
		const c = check(maId, d);
		if (!c.ok) return c;
		const now = deps.clock();
		const id = newId();
		db.transaction((tx) => {
			repo.insertRollout(tx, {
				id,
				maId,
				name: d.name,
				status: 'draft',
				statusReason: null,
				definition: JSON.stringify(d),
				currentPhase: 0,
				createdBy: `${actor.type}:${actor.id}`,
				createdAt: now,
				updatedAt: now
			});
			repo.insertPhases(
				tx,
				d.phases.map((_, idx) => ({ rolloutId: id, idx, status: 'waiting' }))
			);
			audit(tx, now, { maId, actor, action: 'rollout.create', targetType: 'rollout', targetId: id, outcome: 'ok', detail: { name: d.name, phases: d.phases.length, target: d.target } });
		});
		t.announce(maId, id);
		return ok(view(repo.getRollout(db, id)!));
	}

	/** The rollout of this MA, else not_found (another MA's is missing too). */
	function find(maId: string, id: string): repo.RolloutRow | null {
		const row = repo.getRollout(db, id);
		return row && row.maId === maId ? row : null;
	}

	function view(row: repo.RolloutRow): RolloutView {
		return {
			id: row.id,
			name: row.name,
			status: row.status as RolloutView['status'],
			statusReason: row.statusReason,
			currentPhase: row.currentPhase,
			createdBy: row.createdBy,
			createdAt: row.createdAt,
			updatedAt: row.updatedAt,
			startedAt: row.startedAt,
			finishedAt: row.finishedAt,
			approvedBy: row.approvedBy,
			approvedAt: row.approvedAt,
			tally: rolloutTally(repo.phaseStateCounts(db, row.id))
		};
	}

	function page(maId: string, q: RolloutListQuery): Outcome<RolloutPage> {
		let after: repo.RolloutCursor | null = null;
		if (q.cursor) {
			after = decodeRolloutCursor(q.cursor);
			if (!after) return fail('invalid_request', 'cursor: not a cursor this list gave out', [{ path: 'cursor', message: 'not a cursor this list gave out' }]);
		}
		const limit = q.limit ?? DEFAULT_PAGE_SIZE;
		const rows = repo.listRolloutPage(db, maId, q.status, after, limit + 1);
		const more = rows.length > limit;
		const shown = more ? rows.slice(0, limit) : rows;
		const last = shown.at(-1);
		return ok({
			items: shown.map(view),
			nextCursor: more && last ? encodeRolloutCursor({ createdAt: last.createdAt, id: last.id }) : null,
			total: repo.countRollouts(db, maId, q.status)
		});
	}

	/** Definition, status, per-phase tallies and the timeline (the rollout's audit rows, oldest first). */
	function get(maId: string, id: string): Outcome<RolloutDetail> {
		const row = find(maId, id);
		if (!row) return fail('not_found', 'rollout not found');
		const d = parseDefinition(row);
		const counts = repo.phaseStateCounts(db, id);
		const tallies = phaseTallies(counts, d.phases.length);
		const audits = auditRepo.listAuditOfTarget(db, 'rollout', id).sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
		const started = audits.find((a) => a.action === 'rollout.activate');
		const unplaced = started ? Number((JSON.parse(started.detail) as { unplaced?: number }).unplaced ?? 0) : 0;
		return ok({
			rollout: view(row),
			definition: d,
			phases: repo.getPhases(db, id).map((p) => ({
				idx: p.idx,
				name: d.phases[p.idx]?.name ?? '',
				status: p.status as RolloutDetail['phases'][number]['status'],
				startedAt: p.startedAt,
				finishedAt: p.finishedAt,
				tally: tallies[p.idx]!
			})),
			timeline: audits.slice(-TIMELINE_LIMIT).map((a) => ({
				at: a.at,
				action: a.action,
				actor: `${a.actorType}:${a.actorId}`,
				outcome: a.outcome,
				detail: JSON.parse(a.detail) as unknown
			})),
			unplaced
		});
	}

	/** One page of the rollout's devices with the live state of their current try (download bytes from progress). */
	function devices(maId: string, id: string, q: RolloutDeviceQuery): Outcome<RolloutDevicePage> {
		const row = find(maId, id);
		if (!row) return fail('not_found', 'rollout not found');
		let after: repo.RolloutDeviceCursor | null = null;
		if (q.cursor) {
			after = decodeRolloutDeviceCursor(q.cursor);
			if (!after) return fail('invalid_request', 'cursor: not a cursor this list gave out', [{ path: 'cursor', message: 'not a cursor this list gave out' }]);
		}
		const limit = q.limit ?? DEFAULT_PAGE_SIZE;
		const f = { phase: q.phase, state: q.state };
		const rows = repo.listRolloutDevicePage(db, maId, id, f, after, limit + 1);
		const more = rows.length > limit;
		const shown = more ? rows.slice(0, limit) : rows;
		const progress = new Map(operations.progressOf(shown.flatMap((r) => (r.opId ? [r.opId] : []))).map((p) => [p.id, p]));
		const last = shown.at(-1);
		return ok({
			items: shown.map((r) => {
				const p = r.opId ? progress.get(r.opId) : undefined;
				return {
					deviceId: r.deviceId,
					name: r.name,
					phaseIdx: r.phaseIdx,
					state: r.state as RolloutDevicePage['items'][number]['state'],
					attempts: r.attempts,
					batchId: r.batchId,
					correlator: r.correlator,
					nextAttemptAt: r.nextAttemptAt,
					startedAt: r.startedAt,
					finishedAt: r.finishedAt,
					lastResultCode: r.lastResultCode,
					operation:
						r.opStatus === null
							? null
							: {
									status: r.opStatus as NonNullable<RolloutDevicePage['items'][number]['operation']>['status'],
									downloadStatus: p?.downloadStatus ?? r.downloadStatus,
									bytesDone: p?.bytesDone ?? null,
									bytesTotal: p?.bytesTotal ?? null
								}
				};
			}),
			nextCursor: more && last ? encodeRolloutDeviceCursor({ phaseIdx: last.phaseIdx, deviceId: last.deviceId }) : null,
			total: repo.countRolloutDevices(db, id, f)
		});
	}

	/**
	 * Start: a high-risk rollout (under the MA's trust policy) waits for its passkey approval first; otherwise it
	 * is scheduled (a start time ahead) or running at once. Devices are placed in phases when it begins running.
	 */
	function start(maId: string, actor: AuditActor, id: string): Outcome<RolloutView> {
		const row = find(maId, id);
		if (!row) return fail('not_found', 'rollout not found');
		if (row.status !== 'draft') return fail('conflict', `the rollout is ${row.status}; only a draft can be started`);
		const d = parseDefinition(row);
		const now = deps.clock();
		const needsApproval = row.approval === null && isHighRiskRollout(d, signing.trust.current(maId).statement, targets, maId);
		const next = needsApproval ? 'awaiting-approval' : 'scheduled';
		const moved = db.transaction((tx) => {
			if (repo.updateRolloutFrom(tx, id, ['draft'], { status: next, statusReason: needsApproval ? 'high-risk: waiting for a passkey approval of the rollout' : null, updatedAt: now }) === 0) return false;
			audit(tx, now, { maId, actor, action: 'rollout.start', targetType: 'rollout', targetId: id, outcome: next });
			return true;
		});
		if (!moved) return fail('conflict', 'the rollout changed meanwhile; try again');
		// A rollout without a future start time begins at once: the same step the scheduler takes when startAt comes.
		if (!needsApproval) t.activateIfDue(id);
		t.announce(maId, id);
		return ok(view(repo.getRollout(db, id)!));
	}

	/**
	 * Stores a verified approval (definition and assertion; see approve) and lets an awaiting rollout go on like a
	 * started one. Private: only `approve`, after signing.rolloutApprovals checked the passkey, calls it.
	 */
	function attachRolloutApproval(maId: string, id: string, approval: RolloutBatch, approvedBy: string): Outcome<RolloutView> {
		const row = find(maId, id);
		if (!row) return fail('not_found', 'rollout not found');
		if (row.approval !== null) return fail('conflict', 'the rollout is approved already');
		const now = deps.clock();
		db.transaction((tx) => {
			repo.updateRollout(tx, id, { approval: JSON.stringify(approval), approvedBy, approvedAt: now, updatedAt: now });
			repo.updateRolloutFrom(tx, id, ['awaiting-approval'], { status: 'scheduled', statusReason: null });
			// Audited by the approval itself (signing/rollout-approvals.ts: rollout.approve with the passkey's ID).
		});
		t.activateIfDue(id);
		t.announce(maId, id);
		return ok(view(repo.getRollout(db, id)!));
	}

	/**
	 * What a passkey approves for a high-risk rollout (core rollout-approval.ts): its steps with the package
	 * versions they resolve to now (digests included), consent mode and intent, valid until its end time (or
	 * APPROVAL_VALID_MS after it was made), for at most the devices its target holds now (twice that for a
	 * continuous rollout, which takes devices that join later). Derived from the stored rollout, so the options
	 * and the verification compute the same bytes; a version uploaded in between makes the assertion fail, and
	 * the administrator approves what is there now.
	 */
	function approvalDefinition(row: repo.RolloutRow): Outcome<ApprovedDefinition> {
		const d = parseDefinition(row);
		const steps = [];
		for (const s of d.steps.operations) {
			if (!OPERATION_INFO[s.kind].needsPackage) {
				steps.push({ kind: s.kind, componentId: s.componentId ?? null, packageVersionId: null, targetVersion: s.version ?? null });
				continue;
			}
			const r = packages.resolveVersion(row.maId, s.componentId!, s.version);
			if (!r.ok) return r;
			steps.push({ kind: s.kind, componentId: s.componentId!, packageVersionId: r.value.version.id, targetVersion: r.value.version.version });
		}
		const devices = targets.resolveTarget(row.maId, d.target);
		if (!devices.ok) return devices;
		const count = Math.max(1, devices.value.length);
		return ok({
			v: 1,
			maId: row.maId,
			rolloutId: row.id,
			nonce: row.id,
			operations: signing.envelopeOperationsOf(steps),
			consentMode: d.steps.consentMode,
			intent: batchIntent(row.name, d),
			notAfter: d.schedule.endAt ?? row.createdAt + APPROVAL_VALID_MS,
			target: d.target.kind === 'filter' ? `devices matching ${d.target.filter || 'anything'}` : `the devices of group ${d.target.groupId}`,
			maxDevices: d.mode === 'continuous' ? count * 2 : count
		});
	}

	/** WebAuthn request options to approve an awaiting rollout: the challenge is the digest of approvalDefinition. */
	function approvalOptions(maId: string, adminId: string, id: string) {
		const row = find(maId, id);
		if (!row) return fail('not_found', 'rollout not found');
		if (row.status !== 'awaiting-approval') return fail('conflict', `the rollout is ${row.status}; only one awaiting approval is approved`);
		const def = approvalDefinition(row);
		if (!def.ok) return def;
		return signing.rolloutApprovals.options(maId, adminId, id, def.value, row.createdBy);
	}

	/** Verifies the administrator's assertion over the definition and stores both: the rollout's batches then carry them. */
	async function approve(maId: string, actor: AuditActor & { type: 'admin' }, id: string, response: AssertionResponse): Promise<Outcome<RolloutView>> {
		const row = find(maId, id);
		if (!row) return fail('not_found', 'rollout not found');
		if (row.status !== 'awaiting-approval') return fail('conflict', `the rollout is ${row.status}; only one awaiting approval is approved`);
		const def = approvalDefinition(row);
		if (!def.ok) return def;
		const assertion = await signing.rolloutApprovals.approve(maId, actor, id, def.value, row.createdBy, response);
		if (!assertion.ok) return assertion;
		const approved: RolloutBatch = { definition: def.value, approval: assertion.value };
		return attachRolloutApproval(maId, id, approved, actor.id);
	}

	function pause(maId: string, actor: AuditActor, id: string, note = ''): Outcome<RolloutView> {
		const row = find(maId, id);
		if (!row) return fail('not_found', 'rollout not found');
		const now = deps.clock();
		const moved = db.transaction((tx) => {
			if (repo.updateRolloutFrom(tx, id, ['running', 'scheduled'], { status: 'paused', statusReason: note || 'paused by an operator', updatedAt: now }) === 0) return false;
			audit(tx, now, { maId, actor, action: 'rollout.pause', targetType: 'rollout', targetId: id, outcome: 'ok', detail: note ? { note } : undefined });
			return true;
		});
		if (!moved) return fail('conflict', `the rollout is ${row.status}; only a running or scheduled rollout can be paused`);
		t.announce(maId, id);
		return ok(view(repo.getRollout(db, id)!));
	}

	/**
	 * Resume a paused rollout (a phase paused on a threshold accepts the failures and refusals it has now), or
	 * confirm the current phase when it waits for a person: the next phase starts.
	 */
	function resume(maId: string, actor: AuditActor, id: string, note = ''): Outcome<RolloutView> {
		const row = find(maId, id);
		if (!row) return fail('not_found', 'rollout not found');
		const r = t.resume(row, actor, note);
		if (!r.ok) return r;
		t.announce(maId, id);
		return ok(view(repo.getRollout(db, id)!));
	}

	/** Abort: no new device starts; waiting devices are withdrawn, commands not yet run on a device too (1462). */
	function abort(maId: string, actor: AuditActor, id: string, note = ''): Outcome<RolloutView> {
		const row = find(maId, id);
		if (!row) return fail('not_found', 'rollout not found');
		const r = t.finish(row, actor, 'aborted', note || 'aborted by an operator', true);
		if (!r.ok) return r;
		t.announce(maId, id);
		return ok(view(repo.getRollout(db, id)!));
	}

	/** Failed devices of the phases reached so far get another try (their retry count starts over). */
	function retryFailures(maId: string, actor: AuditActor, id: string): Outcome<RolloutView> {
		const row = find(maId, id);
		if (!row) return fail('not_found', 'rollout not found');
		if (!['running', 'paused'].includes(row.status)) return fail('conflict', `the rollout is ${row.status}; failures are retried while it runs or is paused`);
		const now = deps.clock();
		const retried = db.transaction((tx) => {
			const n = repo.updateDevicesInState(tx, id, ['failed'], { state: 'waiting', nextAttemptAt: null, updatedAt: now }, row.currentPhase);
			// The failures being retried are no longer accepted ones: if they fail again, they count again.
			for (let idx = 0; idx <= row.currentPhase; idx++) repo.updatePhase(tx, id, idx, { acknowledgedFailed: 0 });
			audit(tx, now, { maId, actor, action: 'rollout.retry-failures', targetType: 'rollout', targetId: id, outcome: 'ok', detail: { devices: n } });
			return n;
		});
		t.announce(maId, id);
		if (retried > 0) deps.log.debug({ rolloutId: id, retried }, 'rollout failures retried');
		return ok(view(repo.getRollout(db, id)!));
	}

	/** The rollout and its phases as the console's live event carries them. */
	function live(maId: string, id: string) {
		const g = get(maId, id);
		return g.ok ? { rollout: g.value.rollout, phases: g.value.phases } : null;
	}

	return { create, page, get, devices, start, approvalOptions, approve, pause, resume, abort, retryFailures, live, transitions: t };
}

export type RolloutService = ReturnType<typeof createRolloutService>;
