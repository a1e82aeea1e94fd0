import { describe, it, expect } from 'vitest';
import { EventBucket, DEVICE_EVENT_FLOOD_LIMIT } from './event-rate-limit';

describe('EventBucket', () => {
	it('allows a burst, then refills at its rate', () => {
		const b = new EventBucket(3, 2, 0);
		expect([b.take(0), b.take(0), b.take(0), b.take(0)]).toEqual([true, true, true, false]);
		expect(b.take(499)).toBe(false);
		expect(b.take(500)).toBe(true);
		expect(b.take(5000)).toBe(true);
		expect([b.take(5000), b.take(5000), b.take(5000)]).toEqual([true, true, false]);
	});

	it('flags a client that keeps sending after being refused', () => {
		const b = new EventBucket(1, 1, 0);
		b.take(0);
		for (let i = 0; i < DEVICE_EVENT_FLOOD_LIMIT - 1; i++) b.take(0);
		expect(b.flooding).toBe(false);
		b.take(0);
		expect(b.flooding).toBe(true);
		expect(b.take(10_000)).toBe(true);
		expect(b.flooding).toBe(false);
	});
});
