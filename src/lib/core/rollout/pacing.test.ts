import { describe, it, expect } from 'vitest';
import { nextRetryAt, startsAllowed, timedOut } from './pacing';

const T0 = 1_800_000_000_000;

describe('rollout pacing', () => {
	it('no limit: everything may start', () => {
		expect(startsAllowed(null, [T0], T0)).toBe(Number.POSITIVE_INFINITY);
	});

	it('600 per minute: one at first, then one per 100 ms, never 600 at once', () => {
		expect(startsAllowed(600, [], T0)).toBe(1);
		expect(startsAllowed(600, [T0], T0 + 50)).toBe(0);
		expect(startsAllowed(600, [T0], T0 + 1000)).toBe(10);
		// A scheduler that stalled for a minute does not burst past the limit.
		expect(startsAllowed(600, [T0], T0 + 59_999)).toBe(599);
	});

	it('never more than the limit in any sliding minute', () => {
		const starts = Array.from({ length: 6 }, (_, i) => T0 + i * 10_000); // six in the last minute
		expect(startsAllowed(6, starts, T0 + 55_000)).toBe(0);
		// The first of them leaves the window at T0 + 60 s: one more may go.
		expect(startsAllowed(6, starts, T0 + 60_001)).toBe(1);
	});

	it.each([
		// attempts so far → when the next try is due (first delay 1 min, doubling, capped at 10 min; 3 retries)
		[1, T0 + 60_000],
		[2, T0 + 120_000],
		[3, T0 + 240_000],
		[4, null]
	])('after %i attempt(s) the next try is at %s', (attempts, expected) => {
		expect(nextRetryAt({ count: 3, firstDelayMs: 60_000, maxDelayMs: 600_000 }, attempts, T0)).toBe(expected);
	});

	it('the backoff is capped', () => {
		expect(nextRetryAt({ count: 10, firstDelayMs: 60_000, maxDelayMs: 300_000 }, 8, T0)).toBe(T0 + 300_000);
	});

	it('no retries configured: a failure is final', () => {
		expect(nextRetryAt({ count: 0, firstDelayMs: 1000, maxDelayMs: 1000 }, 1, T0)).toBeNull();
	});

	it('a device silent past the in-progress timeout has timed out; no timeout, never', () => {
		expect(timedOut(T0, T0 + 299_999, 300_000)).toBe(false);
		expect(timedOut(T0, T0 + 300_000, 300_000)).toBe(true);
		expect(timedOut(T0, T0 + 10 ** 9, null)).toBe(false);
	});
});
