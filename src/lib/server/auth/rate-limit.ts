/**
 * A small in-memory rate limiter for the authentication endpoints (token bucket per key, e.g. client
 * address). One process holds it; behind several nodes each node limits on its own, which still bounds
 * what one client can make the store do (challenges, verifications).
 */
export type Bucket = { tokens: number; at: number };

export class RateLimiter {
	private readonly buckets = new Map<string, Bucket>();

	constructor(
		/** Requests allowed in a burst. */
		readonly capacity: number,
		/** Tokens regained per second. */
		readonly refillPerSecond: number,
		/** Keys kept at most; the oldest are forgotten first (a full bucket carries no information). */
		readonly maxKeys = 10_000
	) {}

	/** Take one token for `key`. Returns 0 when allowed, else the seconds to wait before retrying. */
	take(key: string, now: number): number {
		let b = this.buckets.get(key);
		if (!b) {
			if (this.buckets.size >= this.maxKeys) {
				const oldest = this.buckets.keys().next().value;
				if (oldest !== undefined) this.buckets.delete(oldest);
			}
			b = { tokens: this.capacity, at: now };
			this.buckets.set(key, b);
		} else {
			b.tokens = this.refilled(b, now);
			b.at = now;
		}
		if (b.tokens >= 1) {
			b.tokens -= 1;
			return 0;
		}
		return Math.max(1, Math.ceil((1 - b.tokens) / this.refillPerSecond));
	}

	/** Seconds to wait before `key` has a token again, without taking one (0: it has one now). */
	peek(key: string, now: number): number {
		const b = this.buckets.get(key);
		if (!b) return 0;
		const tokens = this.refilled(b, now);
		return tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / this.refillPerSecond));
	}

	/**
	 * The bucket's tokens at `now`. A clock that went back (the app's clock is injected; a test moves it, a host
	 * may step it) refills nothing rather than taking tokens away.
	 */
	private refilled(b: { tokens: number; at: number }, now: number): number {
		return Math.min(this.capacity, b.tokens + (Math.max(0, now - b.at) / 1000) * this.refillPerSecond);
	}

	reset(): void {
		this.buckets.clear();
	}
}

/**
 * The limiter of /auth/*, /setup, /invite and /admin/signin: a burst of 100 requests per client address,
 * then two a second. A ceremony takes two requests (options, verify), so people (and the e2e suite, which
 * signs many administrators in from one address) never meet it; a flood of thousands a second does.
 * Behind a reverse proxy, set adapter-node's ADDRESS_HEADER (e.g. X-Forwarded-For) so the address is the
 * client's, not the proxy's.
 * One per app (createApp), so two servers in one process count separately.
 */
export const AUTH_BURST = 100;
export const AUTH_PER_SECOND = 2;
export function createAuthRateLimiter(): RateLimiter {
	return new RateLimiter(AUTH_BURST, AUTH_PER_SECOND);
}

/**
 * The limiter of device enrollment (POST /api/device/enroll), counting **refused** attempts per client
 * address: a wrong or used code, a bad key proof. A client that was refused 30 times in a burst is
 * answered 429 for a while (one more attempt every 2 s) before any lookup or signature check. Successful
 * enrollments cost nothing here: each needs a one-time code an administrator made, so enrolling a fleet
 * from one address (a provisioning station, the benchmarks) is never slowed.
 */
export const ENROLL_FAILURE_BURST = 30;
export const ENROLL_FAILURES_PER_SECOND = 0.5;
export function createEnrollRateLimiter(): RateLimiter {
	return new RateLimiter(ENROLL_FAILURE_BURST, ENROLL_FAILURES_PER_SECOND);
}
