/**
 * The moves of a rollout shared by the operator's actions (service.ts) and the scheduler (scheduler.ts):
 * activation (the target resolved and cut into phases), phase advance, resume, and finishing (aborted or
 * ended, with waiting devices and not-yet-run commands withdrawn). Each move is one transaction with its audit
 * row, guarded by the status it starts from, so a repeated tick or a racing action changes nothing twice.
 */
import { ok } from '../../../core';
import { assignPhases, type PhaseTally } from '../../../core/rollout';
import type { RolloutDefinition } from '../../../contract/rollouts';
import * as repo from '../../db/repos/rollouts';
import { audit } from '../audit';
import { fail, type Outcome } from '../errors';
import type { AuditActor, ServiceDeps } from '../deps';
import type { OperationService } from '../operations';
import type { RolloutTargets } from './targets';

export type RolloutDeps = { deps: ServiceDeps; operations: OperationService; targets: RolloutTargets };

export const ACTIVE_STATUSES = ['scheduled', 'running', 'paused', 'awaiting-approval'] as const;
export const systemActor = (rolloutId: string): AuditActor => ({ type: 'system', id: `rollout:${rolloutId}` });

type Counts = ReturnType<typeof repo.phaseStateCounts>;
const emptyTally = (): PhaseTally => ({ total: 0, succeeded: 0, failed: 0, refused: 0, pending: 0 });

/**
 * Tallies per phase. Pending: waiting, delivered, and failed devices with a retry ahead (not final yet).
 * Withdrawn devices (the rollout ended for them, or they left the MA) are in no count.
 */
export function phaseTallies(counts: Counts, phases: number): PhaseTally[] {
	const out = Array.from({ length: phases }, emptyTally);
	for (const c of counts) {
		const t = out[c.phaseIdx];
		if (!t || c.state === 'withdrawn') continue;
		t.total += c.n;
		if (c.state === 'succeeded') t.succeeded += c.n;
		else if (c.state === 'refused') t.refused += c.n;
		else if (c.state === 'failed' && !c.retrying) t.failed += c.n;
		else t.pending += c.n;
	}
	return out;
}

export function rolloutTally(counts: Counts): PhaseTally {
	const sum = emptyTally();
	for (const t of phaseTallies(counts, 1 + Math.max(-1, ...counts.map((c) => c.phaseIdx)))) {
		sum.total += t.total;
		sum.succeeded += t.succeeded;
		sum.failed += t.failed;
		sum.refused += t.refused;
		sum.pending += t.pending;
	}
	return sum;
}

export function rolloutTransitions({ deps, operations, targets }: RolloutDeps) {
	const { db } = deps;
	const definition = (row: repo.RolloutRow) => JSON.parse(row.definition) as RolloutDefinition;

	/** Tells the consoles (admin live event `rollout`) that the rollout changed. */
	const announce = (maId: string, rolloutId: string) => deps.events.emit('rollout:updated', { maId, rolloutId });

	/**
	 * A scheduled rollout whose start time has come begins: the target is resolved now (a snapshot), cut into
	 * phases in its order, and the first phase runs. A target that cannot be resolved (a group that does not
	 * exist) pauses it with the reason.
	 */
	function activateIfDue(id: string): boolean {
		const row = repo.getRollout(db, id);
		if (!row || row.status !== 'scheduled') return false;
		const d = definition(row);
		const now = deps.clock();
		if (d.schedule.startAt !== null && d.schedule.startAt > now) return false;
		const placed = place(row.maId, d);
		if (!placed.ok) {
			db.transaction((tx) => {
				if (repo.updateRolloutFrom(tx, id, ['scheduled'], { status: 'paused', statusReason: placed.error.message, updatedAt: now }) === 0) return;
				audit(tx, now, { maId: row.maId, actor: systemActor(id), action: 'rollout.pause', targetType: 'rollout', targetId: id, outcome: 'target', detail: { reason: placed.error.message } });
			});
			return true;
		}
		db.transaction((tx) => {
			if (repo.updateRolloutFrom(tx, id, ['scheduled'], { status: 'running', statusReason: null, startedAt: now, currentPhase: 0, updatedAt: now }) === 0) return;
			repo.insertDevices(
				tx,
				placed.value.phases.flatMap((ids, phaseIdx) => ids.map((deviceId) => ({ rolloutId: id, deviceId, phaseIdx, state: 'waiting', updatedAt: now })))
			);
			repo.updatePhase(tx, id, 0, { status: 'running', startedAt: now });
			audit(tx, now, {
				maId: row.maId,
				actor: systemActor(id),
				action: 'rollout.activate',
				targetType: 'rollout',
				targetId: id,
				outcome: 'running',
				detail: { devices: placed.value.phases.reduce((n, p) => n + p.length, 0), perPhase: placed.value.phases.map((p) => p.length), unplaced: placed.value.unplaced.length }
			});
		});
		return true;
	}

	function place(maId: string, d: RolloutDefinition): Outcome<{ phases: string[][]; unplaced: string[] }> {
		const ids = targets.resolveTarget(maId, d.target);
		if (!ids.ok) return ids;
		const groups = new Map<string, ReadonlySet<string>>();
		for (const p of d.phases) {
			if (p.size.kind !== 'group' || groups.has(p.size.groupId)) continue;
			const m = targets.groupMembers(maId, p.size.groupId);
			if (!m.ok) return m;
			groups.set(p.size.groupId, m.value);
		}
		return ok(assignPhases(ids.value, d.phases, (g) => groups.get(g) ?? new Set()));
	}

	/**
	 * The current phase is done (its bar met, or a person confirmed): the next one runs; after the last, a
	 * snapshot rollout is completed (a continuous one keeps running for devices that join later).
	 */
	function advance(row: repo.RolloutRow, actor: AuditActor, how: 'advance' | 'confirm'): void {
		const d = definition(row);
		const now = deps.clock();
		const from = row.currentPhase;
		const last = from >= d.phases.length - 1;
		db.transaction((tx) => {
			if (last && d.mode === 'continuous') {
				repo.updatePhase(tx, row.id, from, { status: 'running' });
				repo.updateRollout(tx, row.id, { statusReason: 'every phase reached; devices that join later get it', updatedAt: now });
				audit(tx, now, { maId: row.maId, actor, action: 'rollout.phase', targetType: 'rollout', targetId: row.id, outcome: how, detail: { phase: from, status: 'open' } });
				return;
			}
			repo.updatePhase(tx, row.id, from, { status: 'done', finishedAt: now });
			audit(tx, now, { maId: row.maId, actor, action: 'rollout.phase', targetType: 'rollout', targetId: row.id, outcome: how, detail: { phase: from, status: 'done' } });
			if (last) {
				repo.updateRollout(tx, row.id, { status: 'completed', statusReason: null, finishedAt: now, updatedAt: now });
				audit(tx, now, { maId: row.maId, actor: systemActor(row.id), action: 'rollout.complete', targetType: 'rollout', targetId: row.id, outcome: 'completed' });
			} else {
				repo.updateRollout(tx, row.id, { currentPhase: from + 1, statusReason: null, updatedAt: now });
				repo.updatePhase(tx, row.id, from + 1, { status: 'running', startedAt: now });
				audit(tx, now, { maId: row.maId, actor: systemActor(row.id), action: 'rollout.phase', targetType: 'rollout', targetId: row.id, outcome: 'started', detail: { phase: from + 1, status: 'running' } });
			}
		});
	}

	function resume(row: repo.RolloutRow, actor: AuditActor, note: string): Outcome<void> {
		const now = deps.clock();
		const phase = repo.getPhases(db, row.id)[row.currentPhase];
		if (row.status === 'paused') {
			const counts = phaseTallies(repo.phaseStateCounts(db, row.id), definition(row).phases.length)[row.currentPhase];
			const next = row.startedAt === null ? 'scheduled' : 'running';
			const moved = db.transaction((tx) => {
				if (repo.updateRolloutFrom(tx, row.id, ['paused'], { status: next, statusReason: null, updatedAt: now }) === 0) return false;
				if (phase?.status === 'paused') {
					// The person who resumes accepts the failures and refusals the phase has now (core Acknowledged).
					repo.updatePhase(tx, row.id, row.currentPhase, { status: 'running', acknowledgedFailed: counts?.failed ?? 0, acknowledgedRefused: counts?.refused ?? 0 });
				}
				audit(tx, now, { maId: row.maId, actor, action: 'rollout.resume', targetType: 'rollout', targetId: row.id, outcome: next, detail: note ? { note } : undefined });
				return true;
			});
			if (!moved) return fail('conflict', 'the rollout changed meanwhile; try again');
			// One action, one effect: a phase that also waits for confirmation is confirmed by the next resume.
			if (next === 'scheduled') activateIfDue(row.id);
			return ok(undefined);
		}
		if (row.status === 'running' && phase?.status === 'awaiting-confirmation') {
			advance(row, actor, 'confirm');
			return ok(undefined);
		}
		return fail('conflict', `the rollout is ${row.status}${phase ? ` (phase ${row.currentPhase + 1} ${phase.status})` : ''}; only a paused rollout or a phase awaiting confirmation can be resumed`);
	}

	/**
	 * Ends the rollout (aborted, or ended at its end time): no device starts any more, waiting ones are withdrawn
	 * and failures are final. With `withdrawSent`, commands a device holds but has not run are withdrawn too,
	 * through the operations' own cancel (queued: 1462 at once; delivered or awaiting consent: withdrawn on the
	 * device); those already running finish and their results still count.
	 */
	function finish(row: repo.RolloutRow, actor: AuditActor, status: 'aborted' | 'ended', reason: string, withdrawSent: boolean): Outcome<{ withdrawn: number }> {
		const now = deps.clock();
		const moved = db.transaction((tx) => {
			// A draft may be aborted too (discarded before it ever started).
			if (repo.updateRolloutFrom(tx, row.id, ['draft', ...ACTIVE_STATUSES], { status, statusReason: reason, finishedAt: now, updatedAt: now }) === 0) return false;
			repo.updateDevicesInState(tx, row.id, ['waiting'], { state: 'withdrawn', finishedAt: now, updatedAt: now });
			repo.updateDevicesInState(tx, row.id, ['failed'], { nextAttemptAt: null, updatedAt: now });
			audit(tx, now, { maId: row.maId, actor, action: status === 'aborted' ? 'rollout.abort' : 'rollout.end', targetType: 'rollout', targetId: row.id, outcome: status, detail: { reason, withdrawSent } });
			return true;
		});
		if (!moved) return fail('conflict', `the rollout is ${row.status}; it has ended already`);
		let withdrawn = 0;
		if (withdrawSent) {
			for (const op of repo.withdrawableOperations(db, row.id)) {
				if (operations.cancel(row.maId, actor, op.id).ok) withdrawn++;
			}
		}
		return ok({ withdrawn });
	}

	return { announce, activateIfDue, advance, resume, finish, definition };
}

export type RolloutTransitions = ReturnType<typeof rolloutTransitions>;
