/**
 * The plain part of useLive (live.svelte.ts): subscribing a page's handlers to a channel and undoing it, and
 * a debounce for pages that reload once per burst of events. Kept apart from the socket and the runes so unit
 * tests can drive it with a channel of their own.
 */
import type { AdminLiveEvents } from '../contract/admin-protocol';

export type LiveEventName = keyof AdminLiveEvents;

/** A listener per event the page cares about, plus `reconnect` (after a reconnection, not the first connection). */
export type LiveHandlers = { [K in LiveEventName]?: AdminLiveEvents[K] } & { reconnect?: () => void };

/** Which events replay what arrived shortly before the subscription (between a page's load and its mount). */
export type LiveOptions = { replay?: readonly LiveEventName[] };

/** What subscribeAll needs of a channel (LiveChannel has it). */
export interface Subscribable {
	on<K extends LiveEventName>(event: K, listener: AdminLiveEvents[K], opts?: { replayMs?: number }): () => void;
	onReconnect(listener: () => void): () => void;
}

/** Subscribes every handler; the function returned unsubscribes them all. */
export function subscribeAll(ch: Subscribable, handlers: LiveHandlers, opts: LiveOptions & { replayMs: number }): () => void {
	const offs: (() => void)[] = [];
	for (const [name, listener] of Object.entries(handlers) as [LiveEventName | 'reconnect', ((...a: never[]) => void) | undefined][]) {
		if (!listener) continue;
		if (name === 'reconnect') offs.push(ch.onReconnect(listener as () => void));
		else offs.push(ch.on(name, listener as never, opts.replay?.includes(name) ? { replayMs: opts.replayMs } : {}));
	}
	return () => {
		for (const off of offs) off();
	};
}

/**
 * `fn` at most once per `ms`, after the last call of a burst (many results arrive at once: one reload).
 * `cancel` drops a pending call (the page is going).
 */
export function debounce(fn: () => void, ms: number): { (): void; cancel(): void } {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const call = () => {
		clearTimeout(timer);
		timer = setTimeout(() => {
			timer = undefined;
			fn();
		}, ms);
	};
	call.cancel = () => clearTimeout(timer);
	return call;
}
