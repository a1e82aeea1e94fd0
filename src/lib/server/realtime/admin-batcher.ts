/**
 * Coalesces the console's live events: what changes within one event-loop turn is gathered per MA room and
 * sent as one `live` message per room (a burst of results costs one frame per console, not one each).
 * Payloads are built lazily, at the end of the turn, and only for rooms with a console connected: a change
 * nobody watches is neither built (no inventory read) nor JSON-encoded.
 */
import type { AdminLiveItem } from '../../contract/admin-protocol';

/** A live event to send, built only if someone listens. */
export type PendingLive = {
	/**
	 * Items with the same key in one turn collapse into the latest (an operation's newest view, a device's
	 * inventory as it is now); the kept one takes the latest's place in the order.
	 */
	key?: string;
	build: () => AdminLiveItem;
};

export type AdminBatcherDeps = {
	/** How many consoles are in the room right now (0: nothing is built or sent). */
	listeners: (room: string) => number;
	send: (room: string, items: AdminLiveItem[]) => void;
	/** Runs the flush after the current turn; setImmediate unless a test needs otherwise. */
	schedule?: (flush: () => void) => void;
	/** A failing build must not lose the rest of the batch. */
	onError?: (error: unknown) => void;
};

export class AdminBatcher {
	readonly #pending = new Map<string, PendingLive[]>();
	#scheduled = false;
	readonly #schedule: (flush: () => void) => void;

	constructor(private readonly deps: AdminBatcherDeps) {
		this.#schedule = deps.schedule ?? ((flush) => void setImmediate(flush));
	}

	/** Queues an event for the room; dropped at once when the room has no console. */
	push(room: string, item: PendingLive): void {
		if (this.deps.listeners(room) === 0) return;
		let list = this.#pending.get(room);
		if (!list) this.#pending.set(room, (list = []));
		list.push(item);
		if (!this.#scheduled) {
			this.#scheduled = true;
			this.#schedule(() => this.flush());
		}
	}

	/** Sends what the turn gathered: one message per room that still has a console. */
	flush(): void {
		this.#scheduled = false;
		const rooms = [...this.#pending];
		this.#pending.clear();
		for (const [room, pending] of rooms) {
			// The last console may have left during the turn.
			if (this.deps.listeners(room) === 0) continue;
			const items: AdminLiveItem[] = [];
			for (const p of latestPerKey(pending)) {
				try {
					items.push(p.build());
				} catch (e) {
					this.deps.onError?.(e);
				}
			}
			if (items.length > 0) this.deps.send(room, items);
		}
	}
}

/** Keeps the last item of each key (at its own position) and every unkeyed item, in order. */
function latestPerKey(pending: PendingLive[]): PendingLive[] {
	const lastIndex = new Map<string, number>();
	pending.forEach((p, i) => p.key !== undefined && lastIndex.set(p.key, i));
	return pending.filter((p, i) => p.key === undefined || lastIndex.get(p.key) === i);
}
