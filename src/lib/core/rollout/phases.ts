/**
 * Phases of a rollout (issue #17) and when one may advance. A phase takes a number of devices, a percentage of
 * the target, or the members of a group; each has three thresholds judged over its own devices:
 * - success: the share that must have succeeded before the next phase starts, automatically or after a person
 *   confirms ("pause");
 * - error: failures (count or percentage) that pause or abort the rollout;
 * - refusal: users who answered no (1401). A refusal is a person's choice, not a failure: it is counted apart, never
 *   toward the error threshold, and has its own threshold (pause, abort, or carry on).
 * Pure: the scheduler feeds it tallies; the same inputs always give the same verdict.
 */

export type PhaseSize =
	| { kind: 'count'; count: number }
	| { kind: 'percent'; percent: number }
	| { kind: 'group'; groupId: string }
	/** Every device of the target not placed in an earlier phase (the usual last phase; devices joining later too). */
	| { kind: 'rest' };

export type Threshold = { count?: number; percent?: number };

export type PhaseSpec = {
	name: string;
	size: PhaseSize;
	/** Percent of the phase's devices that must succeed before the next phase starts. */
	success: { percent: number; then: 'advance' | 'pause' };
	error: Threshold & { then: 'pause' | 'abort' };
	refusal: Threshold & { then: 'pause' | 'abort' | 'continue' };
};

/** Where the devices of one phase stand. `pending` covers waiting, delivered, awaiting consent and downloading. */
export type PhaseTally = { total: number; succeeded: number; failed: number; refused: number; pending: number };

export type PhaseVerdict =
	| { kind: 'running' }
	| { kind: 'advance' }
	| { kind: 'await-confirmation' }
	| { kind: 'pause' | 'abort'; reason: 'errors' | 'refusals'; detail: string };

/** Whether `n` of `total` reaches a threshold: any one of its bounds (count or percentage) suffices. */
export function reaches(n: number, total: number, t: Threshold): boolean {
	if (t.count !== undefined && n >= t.count) return true;
	if (t.percent !== undefined && total > 0 && (n * 100) / total >= t.percent) return true;
	return false;
}

const describe = (n: number, total: number, what: string) => `${n} of ${total} devices ${what}`;

/**
 * Failures and refusals a person already looked at: resuming a phase that paused on a threshold accepts them,
 * so the same devices do not trip the same threshold again; only new ones count toward it.
 */
export type Acknowledged = { failed: number; refused: number };
const NONE_ACKNOWLEDGED: Acknowledged = { failed: 0, refused: 0 };

/**
 * The verdict on one phase. Errors are judged first (a failing phase stops even while others are pending),
 * refusals next, success last; an empty phase advances at once. Thresholds count only failures and refusals
 * beyond the acknowledged ones; the success bar always counts every device.
 */
export function judgePhase(spec: PhaseSpec, t: PhaseTally, acknowledged: Acknowledged = NONE_ACKNOWLEDGED): PhaseVerdict {
	const newFailed = Math.max(0, t.failed - acknowledged.failed);
	const newRefused = Math.max(0, t.refused - acknowledged.refused);
	if (newFailed > 0 && reaches(newFailed, t.total, spec.error)) {
		return { kind: spec.error.then, reason: 'errors', detail: describe(t.failed, t.total, 'failed') };
	}
	if (spec.refusal.then !== 'continue' && newRefused > 0 && reaches(newRefused, t.total, spec.refusal)) {
		return { kind: spec.refusal.then, reason: 'refusals', detail: describe(t.refused, t.total, 'refused') };
	}
	const succeededEnough = t.total === 0 || (t.succeeded * 100) / t.total >= spec.success.percent;
	if (!succeededEnough) {
		// Nothing left to wait for, and the bar was missed without tripping a threshold: a person decides.
		return t.pending === 0 ? { kind: 'await-confirmation' } : { kind: 'running' };
	}
	return spec.success.then === 'advance' ? { kind: 'advance' } : { kind: 'await-confirmation' };
}

/**
 * Splits the target into phases, in the given (stable) order of device IDs. Counts and percentages take the next
 * devices not yet placed (a percentage of the whole target, rounded up, at least one); a group phase takes its
 * members not yet placed; a 'rest' phase takes all that is left. Devices no phase takes are returned as
 * `unplaced`, so the console can say so before the rollout starts.
 */
export function assignPhases(
	deviceIds: readonly string[],
	phases: readonly PhaseSpec[],
	groupMembers: (groupId: string) => ReadonlySet<string>
): { phases: string[][]; unplaced: string[] } {
	const placed = new Set<string>();
	const out: string[][] = [];
	for (const p of phases) {
		const free = deviceIds.filter((id) => !placed.has(id));
		let take: string[];
		if (p.size.kind === 'rest') {
			take = free;
		} else if (p.size.kind === 'group') {
			const members = groupMembers(p.size.groupId);
			take = free.filter((id) => members.has(id));
		} else {
			const n = p.size.kind === 'count' ? p.size.count : Math.max(1, Math.ceil((deviceIds.length * p.size.percent) / 100));
			take = free.slice(0, n);
		}
		for (const id of take) placed.add(id);
		out.push(take);
	}
	return { phases: out, unplaced: deviceIds.filter((id) => !placed.has(id)) };
}
