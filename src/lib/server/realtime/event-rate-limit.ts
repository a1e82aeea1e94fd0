/**
 * Per-socket event rate limit on /device (SCOMO-SEC hardening): a token bucket per connection. A device
 * answering a full command set sends a few dozen events at once (progress, results), so the burst is
 * generous; a client flooding the server gets `rate_limited` (devices treat it as "try again later"), and one
 * that keeps flooding is disconnected.
 */
export const DEVICE_EVENT_BURST = 200;
export const DEVICE_EVENTS_PER_SECOND = 50;
/** Refused events, without the bucket filling up again in between, after which the connection is closed. */
export const DEVICE_EVENT_FLOOD_LIMIT = 500;

export class EventBucket {
	private tokens: number;
	private at: number;
	/** Events refused since the bucket was last full (a client that calmed down starts over). */
	refused = 0;

	constructor(
		readonly capacity = DEVICE_EVENT_BURST,
		readonly perSecond = DEVICE_EVENTS_PER_SECOND,
		now = Date.now()
	) {
		this.tokens = capacity;
		this.at = now;
	}

	/** True when the event may be handled. */
	take(now = Date.now()): boolean {
		this.tokens = Math.min(this.capacity, this.tokens + (Math.max(0, now - this.at) / 1000) * this.perSecond);
		this.at = now;
		if (this.tokens >= this.capacity) this.refused = 0;
		if (this.tokens >= 1) {
			this.tokens -= 1;
			return true;
		}
		this.refused++;
		return false;
	}

	/** A client that goes on sending after being refused this often is flooding. */
	get flooding(): boolean {
		return this.refused >= DEVICE_EVENT_FLOOD_LIMIT;
	}
}
