import { describe, it, expect } from 'vitest';
import { assignPhases, judgePhase, reaches, type PhaseSpec, type PhaseTally } from './phases';

const spec = (over: Partial<PhaseSpec> = {}): PhaseSpec => ({
	name: 'canary',
	size: { kind: 'count', count: 10 },
	success: { percent: 90, then: 'advance' },
	error: { percent: 20, then: 'pause' },
	refusal: { percent: 50, then: 'pause' },
	...over
});
const tally = (succeeded: number, failed: number, refused: number, pending: number): PhaseTally => ({
	total: succeeded + failed + refused + pending,
	succeeded,
	failed,
	refused,
	pending
});
const verdict = (s: PhaseSpec, t: PhaseTally) => {
	const v = judgePhase(s, t);
	return 'reason' in v ? `${v.kind} (${v.reason}: ${v.detail})` : v.kind;
};

describe('phase thresholds', () => {
	it.each([
		// succeeded, failed, refused, pending → verdict
		[0, 0, 0, 10, 'running'],
		[8, 0, 0, 2, 'running'],
		[9, 0, 0, 1, 'advance'], // 90 % reached; the last device may still be pending
		[10, 0, 0, 0, 'advance'],
		[7, 1, 0, 2, 'running'], // 10 % failed: under the error threshold
		[6, 2, 0, 2, 'pause (errors: 2 of 10 devices failed)'], // 20 % failed pauses even with devices pending
		[9, 1, 0, 0, 'advance'], // one failure, 90 % succeeded: the bar is met
		[8, 1, 1, 0, 'await-confirmation'], // done, bar missed, no threshold tripped: a person decides
		[4, 0, 5, 1, 'pause (refusals: 5 of 10 devices refused)'], // refusals have their own threshold
		[5, 1, 4, 0, 'await-confirmation'] // 4 refusals are not 4 failures: no error pause
	])('succeeded %i, failed %i, refused %i, pending %i → %s', (s, f, r, p, expected) => {
		expect(verdict(spec(), tally(s, f, r, p))).toBe(expected);
	});

	it('refusals never count toward the error threshold, whatever their number', () => {
		const s = spec({ refusal: { percent: 100, then: 'continue' } });
		expect(verdict(s, tally(0, 0, 10, 0))).toBe('await-confirmation');
	});

	it('an error threshold by count aborts when so configured', () => {
		const s = spec({ error: { count: 3, then: 'abort' } });
		expect(verdict(s, tally(5, 2, 0, 3))).toBe('running');
		expect(verdict(s, tally(5, 3, 0, 2))).toBe('abort (errors: 3 of 10 devices failed)');
	});

	it('errors are judged before refusals, and both before success', () => {
		const s = spec({ error: { count: 1, then: 'abort' }, refusal: { count: 1, then: 'pause' } });
		expect(verdict(s, tally(9, 1, 1, 0))).toBe('abort (errors: 1 of 11 devices failed)');
	});

	it('acknowledged failures (a person resumed) no longer trip the threshold; new ones do', () => {
		expect(judgePhase(spec(), tally(4, 2, 0, 4), { failed: 2, refused: 0 }).kind).toBe('running');
		expect(judgePhase(spec(), tally(3, 4, 0, 3), { failed: 2, refused: 0 })).toMatchObject({ kind: 'pause', reason: 'errors' });
		expect(judgePhase(spec(), tally(4, 0, 5, 1), { failed: 0, refused: 5 }).kind).toBe('running');
		// The success bar still counts every device: 8 of 10 with 2 accepted failures waits for a person.
		expect(judgePhase(spec(), tally(8, 2, 0, 0), { failed: 2, refused: 0 }).kind).toBe('await-confirmation');
	});

	it('a phase that waits for a person when its bar is met', () => {
		expect(verdict(spec({ success: { percent: 100, then: 'pause' } }), tally(10, 0, 0, 0))).toBe('await-confirmation');
	});

	it('an empty phase advances at once', () => {
		expect(verdict(spec(), tally(0, 0, 0, 0))).toBe('advance');
	});

	it.each([
		[2, 10, { count: 2 }, true],
		[1, 10, { count: 2 }, false],
		[1, 10, { percent: 10 }, true],
		[1, 11, { percent: 10 }, false],
		[1, 11, { count: 5, percent: 5 }, true], // either bound suffices
		[0, 0, { percent: 0 }, false], // nothing to judge
		[3, 10, {}, false] // no bound: never reached
	])('%i of %i reaches %j: %s', (n, total, t, expected) => {
		expect(reaches(n, total, t)).toBe(expected);
	});
});

describe('assigning devices to phases', () => {
	const ids = Array.from({ length: 20 }, (_, i) => `d${String(i).padStart(2, '0')}`);
	const groups: Record<string, Set<string>> = { lobby: new Set(['d03', 'd07', 'd19', 'stranger']) };
	const members = (g: string) => groups[g] ?? new Set<string>();

	it('count, percentage of the whole target (rounded up), group, then the rest', () => {
		const { phases, unplaced } = assignPhases(
			ids,
			[
				spec({ size: { kind: 'count', count: 2 } }),
				spec({ size: { kind: 'percent', percent: 12 } }), // 12 % of 20 = 2.4 → 3
				spec({ size: { kind: 'group', groupId: 'lobby' } }),
				spec({ size: { kind: 'rest' } })
			],
			members
		);
		expect(phases[0]).toEqual(['d00', 'd01']);
		expect(phases[1]).toEqual(['d02', 'd03', 'd04']);
		expect(phases[2]).toEqual(['d07', 'd19']); // d03 is placed already; a member outside the target is not added
		expect(phases[3]).toHaveLength(13);
		expect(unplaced).toEqual([]);
		expect(new Set(phases.flat()).size).toBe(20); // every device once
	});

	it('devices no phase takes are reported, not silently dropped', () => {
		const { phases, unplaced } = assignPhases(ids, [spec({ size: { kind: 'count', count: 5 } })], members);
		expect(phases[0]).toHaveLength(5);
		expect(unplaced).toHaveLength(15);
	});

	it('a tiny percentage still takes one device; a phase beyond the target is empty', () => {
		const { phases } = assignPhases(['a', 'b'], [spec({ size: { kind: 'percent', percent: 1 } }), spec({ size: { kind: 'count', count: 5 } }), spec({ size: { kind: 'rest' } })], members);
		expect(phases).toEqual([['a'], ['b'], []]);
	});
});
