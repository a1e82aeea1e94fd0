import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit';

describe('RateLimiter (token bucket per key)', () => {
	it('allows a burst up to its capacity, then asks to wait', () => {
		const l = new RateLimiter(3, 1);
		const t = 1000;
		expect([l.take('a', t), l.take('a', t), l.take('a', t)]).toEqual([0, 0, 0]);
		expect(l.take('a', t)).toBe(1);
	});

	it('refills with time, never above capacity', () => {
		const l = new RateLimiter(2, 0.5);
		l.take('a', 0);
		l.take('a', 0);
		expect(l.take('a', 0)).toBe(2); // one token every 2 s
		expect(l.take('a', 2000)).toBe(0);
		expect(l.take('a', 2000)).toBeGreaterThan(0);
		// A long pause refills only to capacity.
		expect([l.take('a', 1e9), l.take('a', 1e9), l.take('a', 1e9)].map((w) => w === 0)).toEqual([true, true, false]);
	});

	it('keeps keys apart', () => {
		const l = new RateLimiter(1, 0.1);
		expect(l.take('a', 0)).toBe(0);
		expect(l.take('a', 0)).toBeGreaterThan(0);
		expect(l.take('b', 0)).toBe(0);
	});

	it('forgets the oldest keys beyond its bound instead of growing without limit', () => {
		const l = new RateLimiter(1, 0.001, 2);
		l.take('a', 0);
		l.take('b', 0);
		l.take('c', 0); // evicts 'a'
		expect(l.take('a', 0)).toBe(0);
	});

	it('peek says how long to wait without taking a token', () => {
		const l = new RateLimiter(1, 1);
		expect(l.peek('a', 0)).toBe(0);
		expect(l.peek('a', 0)).toBe(0);
		expect(l.take('a', 0)).toBe(0);
		expect(l.peek('a', 0)).toBe(1);
		expect(l.peek('a', 1000)).toBe(0);
	});
});
