/**
 * The console's live channel: one socket.io connection to the `/admin` namespace per browser tab,
 * authenticated by the session cookie the browser sends with the handshake, in the room of the MA the
 * console shows (SCOMO-ADC-3: only that MA's events arrive). Pages subscribe with `useLive(maId, handlers)`
 * once, at initialisation; `connected` drives the "Live" indicator.
 */
import { untrack } from 'svelte';
import { io, type Socket } from 'socket.io-client';
import { ADMIN_NAMESPACE, type AdminLiveEvents, type AdminLiveItem, type ServerToAdminEvents } from '../contract/admin-protocol';
import { subscribeAll, type LiveHandlers, type LiveOptions } from './live-subscribe';

type AdminSocket = Socket<ServerToAdminEvents, Record<string, never>>;
type EventName = keyof AdminLiveEvents;

/** Events kept for late subscribers: a page loads its data, then mounts and subscribes; what arrived in between is replayed. */
const KEEP_MS = 30_000;
const KEEP_MAX = 1000;

export class LiveChannel {
	/** True while the socket is connected and in the MA's room. */
	connected = $state(false);
	/** Why the last attempt failed ('unauthenticated', 'not_found', ...), for the indicator's title. */
	problem = $state<string | null>(null);
	readonly #socket: AdminSocket;
	readonly #reconnectListeners = new Set<() => void>();
	#wasConnected = false;
	#recent: { item: AdminLiveItem; at: number }[] = [];
	/** The pages' listeners per live event: the server sends them batched (`live`), the channel hands them out one by one. */
	readonly #listeners = new Map<EventName, Set<(data: never) => void>>();

	constructor(readonly maId: string) {
		this.#socket = io(ADMIN_NAMESPACE, { path: '/socket.io', auth: { maId }, withCredentials: true });
		this.#socket.on('connect', () => {
			this.connected = true;
			this.problem = null;
			// Events sent while we were away are lost: pages reload their data to catch up.
			if (this.#wasConnected) for (const l of this.#reconnectListeners) l();
			this.#wasConnected = true;
		});
		this.#socket.on('disconnect', () => (this.connected = false));
		this.#socket.on('live', (items) => {
			const now = Date.now();
			for (const item of items) {
				this.#recent.push({ item, at: now });
				for (const l of this.#listeners.get(item.event) ?? []) l(item.data as never);
			}
			if (this.#recent.length > KEEP_MAX || this.#recent[0]!.at < now - KEEP_MS) {
				this.#recent = this.#recent.filter((r) => r.at >= now - KEEP_MS).slice(-KEEP_MAX);
			}
		});
		this.#socket.on('connect_error', (e) => {
			this.connected = false;
			this.problem = e.message;
			// The session is gone: retrying cannot help; the next page load goes to sign-in.
			if (e.message === 'unauthenticated') this.#socket.disconnect();
		});
		this.#socket.on('session:ended', () => {
			this.#socket.disconnect();
			window.location.assign('/admin/signin');
		});
	}

	/**
	 * Listen to an event. With `replayMs`, events received that long ago are delivered first, in order, so a
	 * page that loaded its data a moment before subscribing misses nothing (listeners must tolerate seeing
	 * an event their data already reflects: upsertOp never moves an operation backwards).
	 */
	on<K extends EventName>(event: K, listener: AdminLiveEvents[K], opts: { replayMs?: number } = {}): () => void {
		const l = listener as (data: never) => void;
		if (opts.replayMs) {
			const since = Date.now() - opts.replayMs;
			// Untracked: called from a page's $effect, the replay must not make the effect depend on what it reads.
			untrack(() => {
				for (const r of this.#recent) if (r.item.event === event && r.at >= since) l(r.item.data as never);
			});
		}
		let set = this.#listeners.get(event);
		if (!set) this.#listeners.set(event, (set = new Set()));
		set.add(l);
		return () => set.delete(l);
	}

	/** Called after a reconnection (not the first connection), so a page can reload what it may have missed. */
	onReconnect(listener: () => void): () => void {
		this.#reconnectListeners.add(listener);
		return () => this.#reconnectListeners.delete(listener);
	}

	close(): void {
		this.#socket.disconnect();
	}
}

/** How far back a page replays: longer than any load-to-mount gap, harmless when it overlaps the data. */
export const REPLAY_MS = 15_000;

let current: LiveChannel | null = null;

/** The tab's channel for this MA (a different MA, after the switcher, replaces it). Browser only. */
export function liveChannel(maId: string): LiveChannel {
	if (current && current.maId !== maId) {
		current.close();
		current = null;
	}
	current ??= new LiveChannel(maId);
	return current;
}

/**
 * A page's live subscription, the one way pages listen: connects the tab to the MA's channel (when `maId()`
 * gives one), subscribes `handlers` (`reconnect` is called after a reconnection, to reload what may have been
 * missed), replays the events named in `opts.replay` from the last REPLAY_MS (see LiveChannel.on), and
 * unsubscribes when the page goes or the MA changes. Call it during component initialisation. Handlers run
 * outside the effect: they read the page's current props and state when called, so the subscription itself
 * depends on the MA only. Returns the channel, for the Live indicator.
 */
export function useLive(maId: () => string | null | undefined, handlers: LiveHandlers, opts: LiveOptions = {}): { readonly channel: LiveChannel | null } {
	let channel = $state<LiveChannel | null>(null);
	$effect(() => {
		const id = maId();
		if (!id) return;
		const ch = liveChannel(id);
		channel = ch;
		return subscribeAll(ch, handlers, { ...opts, replayMs: REPLAY_MS });
	});
	return {
		get channel() {
			return channel;
		}
	};
}
