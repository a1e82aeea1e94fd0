/**
 * How fast a rollout hands out commands, and when a device gets another try (issue #17).
 * - Rate: at most `perMinute` devices started in any sliding minute, spaced evenly (one per 60 s / perMinute), so
 *   a rollout of 10,000 at 600/min does not send 600 at once at the top of each minute.
 * - Retries: a failed device is tried again up to `count` times, after an exponential backoff with a cap.
 *   Refusals (1401) are never retried: the user answered.
 * - In-progress timeout: a device that has not answered within `inProgressTimeoutMs` of delivery counts as
 *   failed (it may still answer later; its late result is recorded, not counted twice).
 */

export type RetryPolicy = { count: number; firstDelayMs: number; maxDelayMs: number };

/**
 * How many devices may start now, given the limit and the start times of the last minute's devices (older ones
 * may be left out). The first start is always allowed; later ones one interval apart, never more than the limit
 * within a minute.
 */
export function startsAllowed(perMinute: number | null, recentStarts: readonly number[], now: number): number {
	if (perMinute === null) return Number.POSITIVE_INFINITY;
	const inLastMinute = recentStarts.filter((t) => t > now - 60_000 && t <= now);
	const budget = perMinute - inLastMinute.length;
	if (budget <= 0) return 0;
	if (inLastMinute.length === 0) return 1;
	const interval = 60_000 / perMinute;
	const last = Math.max(...inLastMinute);
	return Math.min(budget, Math.floor((now - last) / interval));
}

/** When a failed device is tried again, or null when its retries are used up. `attempts` counts tries so far (≥ 1). */
export function nextRetryAt(policy: RetryPolicy, attempts: number, failedAt: number): number | null {
	if (attempts > policy.count) return null;
	const delay = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (attempts - 1));
	return failedAt + delay;
}

/** Whether a delivered device has been silent too long. */
export function timedOut(deliveredAt: number, now: number, inProgressTimeoutMs: number | null): boolean {
	return inProgressTimeoutMs !== null && now - deliveredAt >= inProgressTimeoutMs;
}
