import { describe, it, expect } from 'vitest';
import { throttleProgress } from './progress-throttle';

function recorder() {
	const sent: [number, number][] = [];
	let t = 0;
	const tick = throttleProgress((d, n) => sent.push([d, n]), () => t);
	return { sent, tick, advance: (ms: number) => (t += ms) };
}

describe('throttleProgress', () => {
	it('sends the first and the last tick, and a tick per 5 % on a fast download', () => {
		const r = recorder();
		const total = 1000;
		for (let done = 0; done <= total; done += 10) r.tick(done, total);
		expect(r.sent[0]).toEqual([0, 1000]);
		expect(r.sent.at(-1)).toEqual([1000, 1000]);
		// 0, 50, 100, ... 1000: 21 ticks for 101 chunks, each at least 5 % after the one before.
		expect(r.sent).toHaveLength(21);
		for (let i = 1; i < r.sent.length; i++) expect(r.sent[i]![0] - r.sent[i - 1]![0]).toBeGreaterThanOrEqual(50);
	});

	it('on a slow download sends a tick per 250 ms even below 5 %', () => {
		const r = recorder();
		r.tick(0, 100_000);
		r.advance(100);
		r.tick(100, 100_000);
		expect(r.sent).toHaveLength(1);
		r.advance(150);
		r.tick(200, 100_000);
		expect(r.sent).toEqual([[0, 100_000], [200, 100_000]]);
	});

	it('never repeats or goes backwards, and is silent after the last tick', () => {
		const r = recorder();
		r.tick(0, 100);
		r.advance(1000);
		r.tick(0, 100);
		r.tick(100, 100);
		r.tick(100, 100);
		r.advance(1000);
		r.tick(100, 100);
		expect(r.sent).toEqual([[0, 100], [100, 100]]);
	});

	it('clamps a total the bytes outgrow, so bytesDone ≤ bytesTotal holds', () => {
		const r = recorder();
		r.tick(0, 10);
		r.tick(12, 10);
		expect(r.sent).toEqual([[0, 10], [12, 12]]);
	});
});
