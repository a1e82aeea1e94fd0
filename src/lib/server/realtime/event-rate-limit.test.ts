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

	it('flags a client that keeps sending after being refused, even if a token trickles in now and then', () => {
		const b = new EventBucket(2, 1, 0);
		b.take(0);
		b.take(0);
		let t = 0;
		for (let i = 0; i < DEVICE_EVENT_FLOOD_LIMIT - 1; i++) b.take((t += 5)); // a token every 200 events
		expect(b.flooding).toBe(false);
		while (!b.flooding) b.take((t += 5));
		expect(b.flooding).toBe(true);
		expect(b.take(t + 10_000)).toBe(true);
		expect(b.flooding).toBe(false);
	});
});
