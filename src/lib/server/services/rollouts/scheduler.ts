/**
 * THE rollout scheduler (issue #17): one module, the clock injected, every bit of state in the store, so a
 * tick after a restart carries on where the last one stopped and a repeated tick changes nothing twice. Per
 * tick and rollout:
 *  1. a scheduled rollout whose start time has come begins (target resolved, phases cut);
 *  2. devices whose current try ended get their state (succeeded, failed with a retry time, refused, withdrawn);
 *     delivered devices silent past the in-progress timeout count as failed;
 *  3. a finished rollout stops here (its in-flight devices are still observed); at the end time it ends;
 *  4. continuous mode: devices that match the target now join the last phase;
 *  5. the current phase is judged (core judgePhase): advance, wait for a person, pause or abort;
 *  6. waiting devices of the phases reached and due retries start, inside a maintenance window and within the
 *     rate, all in ONE operation batch (signed once) whose rollout_devices rows commit in the same transaction.
 * Started by the composition root on an interval and nudged when an operation ends. On several nodes only the
 * leader may run it: `isLeader` is that hook (one node today: always true).
 */
import { compileWindow, judgePhase, nextRetryAt, startsAllowed, timedOut, windowsState, type CompiledWindow } from '../../../core/rollout';
import { isTerminalStatus, type OperationStatus } from '../../../core';
import type { RolloutDefinition } from '../../../contract/rollouts';
import * as repo from '../../db/repos/rollouts';
import * as devicesRepo from '../../db/repos/devices';
import { audit } from '../audit';
import type { ServiceDeps } from '../deps';
import type { OperationService } from '../operations';
import type { RolloutBatch } from '../../signing/envelopes';
import { batchIntent } from './batch-intent';
import type { RolloutTargets } from './targets';
import { phaseTallies, systemActor, type RolloutTransitions } from './transitions';

/** The most devices one tick starts in one batch (a batch is signed once; 5000 keeps one tick short). */
export const MAX_BATCH = 5000;

export type SchedulerOptions = {
	/** Leader election hook for several nodes; one node: always the leader. */
	isLeader?: () => boolean;
	/** How often continuous rollouts look for devices that joined their target (default 10 s; 0: every tick). */
	joinEveryMs?: number;
};

export function createRolloutScheduler(
	deps: ServiceDeps,
	operations: OperationService,
	targets: RolloutTargets,
	t: RolloutTransitions,
	options: SchedulerOptions = {}
) {
	const { db } = deps;
	const isLeader = options.isLeader ?? (() => true);
	const joinEveryMs = options.joinEveryMs ?? 10_000;
	/** When each continuous rollout last looked for new devices: only an optimisation, safe to lose on restart. */
	const lastJoin = new Map<string, number>();
	const windowCache = new Map<string, CompiledWindow[]>();

	function windowsOf(id: string, d: RolloutDefinition): CompiledWindow[] {
		let w = windowCache.get(id);
		if (!w) {
			w = d.windows.flatMap((x) => {
				const c = compileWindow(x);
				return c.ok ? [c.value] : [];
			});
			windowCache.set(id, w);
		}
		return w;
	}

	/** One pass over every rollout that may do something. Returns the IDs of the rollouts it changed. */
	function tick(): string[] {
		if (!isLeader()) return [];
		const changed: string[] = [];
		for (const id of repo.rolloutIdsToTick(db)) {
			try {
				if (tickOne(id)) changed.push(id);
			} catch (e) {
				deps.log.error({ err: e, rolloutId: id }, 'rollout tick failed');
			}
		}
		return changed;
	}

	function tickOne(id: string): boolean {
		let changed = t.activateIfDue(id);
		let row = repo.getRollout(db, id);
		if (!row) return false;
		const d = t.definition(row);
		const now = deps.clock();
		const live = row.status === 'running' || row.status === 'paused';
		changed = observe(row, d, now, live) || changed;
		if (!['running', 'paused'].includes(row.status)) return announce(row, changed);

		if (d.schedule.endAt !== null && now >= d.schedule.endAt) {
			const withdraw = d.schedule.endBehavior === 'withdraw';
			t.finish(row, systemActor(id), 'ended', withdraw ? 'end time reached: queued commands withdrawn' : 'end time reached: no new starts', withdraw);
			return announce(row, true);
		}
		if (row.status !== 'running') return announce(row, changed);

		if (d.mode === 'continuous' && now - (lastJoin.get(id) ?? -Infinity) >= joinEveryMs) {
			lastJoin.set(id, now);
			changed = join(row, d, now) || changed;
		}

		// Judge the current phase; an advance may reach an empty phase that advances at once, hence the loop.
		for (let guard = 0; guard <= d.phases.length; guard++) {
			row = repo.getRollout(db, id)!;
			if (row.status !== 'running') return announce(row, true);
			const phase = repo.getPhases(db, id)[row.currentPhase];
			const spec = d.phases[row.currentPhase];
			if (!phase || !spec || phase.status === 'awaiting-confirmation') break;
			const tally = phaseTallies(repo.phaseStateCounts(db, id), d.phases.length)[row.currentPhase]!;
			const verdict = judgePhase(spec, tally, { failed: phase.acknowledgedFailed, refused: phase.acknowledgedRefused });
			if (verdict.kind === 'running') break;
			if (verdict.kind === 'advance') {
				const lastOpen = row.currentPhase === d.phases.length - 1 && d.mode === 'continuous';
				if (lastOpen && row.statusReason !== null) break; // already open for late joiners
				t.advance(row, systemActor(id), 'advance');
				changed = true;
				if (lastOpen) break;
				continue;
			}
			const reasonText = 'reason' in verdict ? `phase ${row.currentPhase + 1}: ${verdict.detail}` : `phase ${row.currentPhase + 1} waits for confirmation`;
			if (verdict.kind === 'abort') {
				t.finish(row, systemActor(id), 'aborted', reasonText, true);
				return announce(row, true);
			}
			db.transaction((tx) => {
				const at = now;
				if (verdict.kind === 'pause') {
					repo.updateRolloutFrom(tx, id, ['running'], { status: 'paused', statusReason: reasonText, updatedAt: at });
					repo.updatePhase(tx, id, row!.currentPhase, { status: 'paused' });
				} else {
					repo.updatePhase(tx, id, row!.currentPhase, { status: 'awaiting-confirmation' });
					repo.updateRollout(tx, id, { statusReason: reasonText, updatedAt: at });
				}
				audit(tx, at, {
					maId: row!.maId,
					actor: systemActor(id),
					action: 'rollout.phase',
					targetType: 'rollout',
					targetId: id,
					outcome: verdict.kind,
					detail: { phase: row!.currentPhase, tally, ...('reason' in verdict ? { reason: verdict.reason, detail: verdict.detail } : {}) }
				});
			});
			return announce(row, true);
		}

		row = repo.getRollout(db, id)!;
		if (row.status !== 'running') return announce(row, true);
		return announce(row, startDevices(row, d, now) || changed);
	}

	function announce(row: repo.RolloutRow, changed: boolean): boolean {
		if (changed) t.announce(row.maId, row.id);
		return changed;
	}

	/** Devices whose current try ended, and silent ones past the in-progress timeout. */
	function observe(row: repo.RolloutRow, d: RolloutDefinition, now: number, retries: boolean): boolean {
		const ended = repo.finishedTries(db, row.id);
		const silent = d.inProgressTimeoutMs === null ? [] : repo.deliveredStartedBefore(db, row.id, now - d.inProgressTimeoutMs);
		const endedIds = new Set(ended.map((e) => e.deviceId));
		const late = silent.filter((s) => s.startedAt !== null && timedOut(s.startedAt, now, d.inProgressTimeoutMs) && !endedIds.has(s.deviceId));
		if (ended.length === 0 && late.length === 0) return false;
		const retryAt = (attempts: number) => (retries ? nextRetryAt(d.retry, attempts, now) : null);
		db.transaction((tx) => {
			for (const e of ended) {
				const state = e.refused ? 'refused' : e.cancelled && !e.failed ? 'withdrawn' : e.failed || e.cancelled ? 'failed' : 'succeeded';
				repo.updateDevices(tx, row.id, [e.deviceId], {
					state,
					lastResultCode: e.resultCode,
					finishedAt: e.completedAt ?? now,
					// Refusals are never retried: the user answered.
					nextAttemptAt: state === 'failed' ? retryAt(e.attempts) : null,
					updatedAt: now
				});
			}
			for (const s of late) {
				repo.updateDevices(tx, row.id, [s.deviceId], { state: 'failed', finishedAt: now, nextAttemptAt: retryAt(s.attempts), updatedAt: now });
			}
			if (late.length > 0) {
				audit(tx, now, { maId: row.maId, actor: systemActor(row.id), action: 'rollout.timeout', targetType: 'rollout', targetId: row.id, outcome: 'failed', detail: { devices: late.length } });
			}
		});
		return true;
	}

	/** Continuous mode: devices that match the target now and are not in the rollout join its last phase. */
	function join(row: repo.RolloutRow, d: RolloutDefinition, now: number): boolean {
		const ids = targets.resolveTarget(row.maId, d.target);
		if (!ids.ok) return false;
		const known = repo.rolloutDeviceIds(db, row.id);
		const fresh = ids.value.filter((x) => !known.has(x));
		if (fresh.length === 0) return false;
		const phaseIdx = d.phases.length - 1;
		db.transaction((tx) => {
			repo.insertDevices(tx, fresh.map((deviceId) => ({ rolloutId: row.id, deviceId, phaseIdx, state: 'waiting', updatedAt: now })));
			audit(tx, now, { maId: row.maId, actor: systemActor(row.id), action: 'rollout.join', targetType: 'rollout', targetId: row.id, outcome: 'ok', detail: { devices: fresh.length, phase: phaseIdx } });
		});
		return true;
	}

	/** Starts what may start now, in one batch: inside a window, within the rate, waiting devices and due retries. */
	function startDevices(row: repo.RolloutRow, d: RolloutDefinition, now: number): boolean {
		if (!windowsState(windowsOf(row.id, d), now).open) return false;
		const allowed = Math.min(MAX_BATCH, startsAllowed(d.ratePerMinute, d.ratePerMinute === null ? [] : repo.recentStarts(db, row.id, now - 60_000), now));
		if (allowed <= 0) return false;
		const candidates = repo.devicesToStart(db, row.id, row.currentPhase, now, allowed);
		if (candidates.length === 0) return false;
		// A device that left the MA (or was revoked) since it was placed gets nothing: withdrawn from the rollout.
		const enrolled = devicesRepo.enrolledDeviceIds(db, row.maId, candidates.map((c) => c.deviceId));
		const gone = candidates.filter((c) => !enrolled.has(c.deviceId)).map((c) => c.deviceId);
		if (gone.length > 0) repo.updateDevices(db, row.id, gone, { state: 'withdrawn', finishedAt: now, nextAttemptAt: null, updatedAt: now });
		const start = candidates.filter((c) => enrolled.has(c.deviceId));
		if (start.length === 0) return gone.length > 0;
		const attempts = new Map(start.map((c) => [c.deviceId, c.attempts]));
		const created = operations.create(
			row.maId,
			systemActor(row.id),
			{ deviceIds: start.map((c) => c.deviceId), operations: d.steps.operations, consentMode: d.steps.consentMode, intent: batchIntent(row.name, d) },
			{
				// An approved high-risk rollout: every batch carries the definition and the passkey's assertion.
				...(row.approval !== null ? { rollout: JSON.parse(row.approval) as RolloutBatch } : {}),
				within(tx, batchId, rows) {
					// The current try of each device is its batch and its last step's correlator, committed with the batch.
					const lastStep = new Map<string, string>();
					for (const r of rows) lastStep.set(r.deviceId, r.correlator);
					for (const [deviceId, correlator] of lastStep) {
						repo.updateDevices(tx, row.id, [deviceId], {
							state: 'delivered',
							attempts: (attempts.get(deviceId) ?? 0) + 1,
							batchId,
							correlator,
							nextAttemptAt: null,
							startedAt: now,
							finishedAt: null,
							lastResultCode: null,
							updatedAt: now
						});
					}
					// No rollout audit row per batch: operations.create audits the batch itself, and a rate-limited rollout
					// makes one per tick, which would drown the timeline (actions and phase changes).
				}
			}
		);
		if (!created.ok) {
			// The batch could not be made (a component removed, a consent mode no longer allowed): a person looks.
			db.transaction((tx) => {
				repo.updateRolloutFrom(tx, row.id, ['running'], { status: 'paused', statusReason: `could not create operations: ${created.error.message}`, updatedAt: now });
				audit(tx, now, { maId: row.maId, actor: systemActor(row.id), action: 'rollout.pause', targetType: 'rollout', targetId: row.id, outcome: created.error.code, detail: { reason: created.error.message } });
			});
		}
		return true;
	}

	let timer: ReturnType<typeof setInterval> | null = null;
	let nudged: ReturnType<typeof setTimeout> | null = null;
	let off: (() => void) | null = null;

	/**
	 * Runs tick() every `intervalMs`, and soon after an operation ends (so a phase advances without waiting for
	 * the interval); several endings in a burst share one tick.
	 */
	function start(intervalMs: number): void {
		if (timer) return;
		timer = setInterval(() => tick(), intervalMs);
		timer.unref();
		off = deps.events.on('operation:updated', (op) => {
			if (op.batchId === null || !isTerminalStatus(op.status as OperationStatus) || nudged) return;
			nudged = setTimeout(() => {
				nudged = null;
				tick();
			}, 50);
			nudged.unref();
		});
	}

	function stop(): void {
		if (timer) clearInterval(timer);
		if (nudged) clearTimeout(nudged);
		off?.();
		timer = nudged = null;
		off = null;
	}

	return { tick, start, stop };
}

export type RolloutScheduler = ReturnType<typeof createRolloutScheduler>;
