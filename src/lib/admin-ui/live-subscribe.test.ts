import { describe, it, expect, vi, afterEach } from 'vitest';
import { debounce, subscribeAll, type Subscribable } from './live-subscribe';

/** A channel that records subscriptions, as LiveChannel keeps them (a set of listeners per event). */
function channel() {
	const listeners = new Map<string, Set<unknown>>();
	const reconnects = new Set<() => void>();
	const opts: Record<string, { replayMs?: number } | undefined> = {};
	const ch: Subscribable = {
		on(event, listener, o) {
			opts[event] = o;
			const set = listeners.get(event) ?? new Set();
			set.add(listener);
			listeners.set(event, set);
			return () => set.delete(listener);
		},
		onReconnect(l) {
			reconnects.add(l);
			return () => reconnects.delete(l);
		}
	};
	const count = () => [...listeners.values()].reduce((n, s) => n + s.size, 0) + reconnects.size;
	return { ch, listeners, reconnects, opts, count };
}

describe('subscribeAll', () => {
	it('subscribes each handler, replays only the events named, and unsubscribes them all', () => {
		const c = channel();
		const off = subscribeAll(c.ch, { operation: () => {}, 'device:status': () => {}, reconnect: () => {} }, { replay: ['operation'], replayMs: 15_000 });
		expect(c.count()).toBe(3);
		expect(c.opts.operation).toEqual({ replayMs: 15_000 });
		expect(c.opts['device:status']).toEqual({});
		expect(c.reconnects.size).toBe(1);
		off();
		expect(c.count()).toBe(0);
	});

	it('skips handlers left undefined', () => {
		const c = channel();
		subscribeAll(c.ch, { operation: undefined, reconnect: undefined }, { replayMs: 1 });
		expect(c.count()).toBe(0);
	});
});

describe('debounce', () => {
	afterEach(() => vi.useRealTimers());

	it('calls once after a burst, and not at all once cancelled', () => {
		vi.useFakeTimers();
		const fn = vi.fn();
		const d = debounce(fn, 300);
		d();
		d();
		vi.advanceTimersByTime(299);
		d();
		vi.advanceTimersByTime(300);
		expect(fn).toHaveBeenCalledTimes(1);
		d();
		d.cancel();
		vi.advanceTimersByTime(1000);
		expect(fn).toHaveBeenCalledTimes(1);
	});
});
