/**
 * How often a device reports download bytes (the `progress` event's bytesDone/bytesTotal). A chunk arrives
 * every few kilobytes; reporting each would flood the server's event budget (event-rate-limit.ts) and every
 * console of the MA. A tick goes out when 250 ms have passed or 5 % more has arrived since the last one, so
 * a download sends at most about 20 ticks plus one per 250 ms; the first (0 of n, the size known) and the
 * last (n of n) always go out.
 */
export const PROGRESS_INTERVAL_MS = 250;
export const PROGRESS_STEP = 0.05;

export type ProgressTick = (bytesDone: number, bytesTotal: number) => void;

export function throttleProgress(
	send: ProgressTick,
	now: () => number,
	opts: { intervalMs?: number; step?: number } = {}
): ProgressTick {
	const intervalMs = opts.intervalMs ?? PROGRESS_INTERVAL_MS;
	const step = opts.step ?? PROGRESS_STEP;
	let lastAt = 0;
	let lastDone = -1;
	let finished = false;
	return (done, total) => {
		if (finished) return;
		// The contract wants bytesDone ≤ bytesTotal: a server that sends more than it announced is clamped.
		const t = Math.max(total, done);
		const final = done >= t;
		const at = now();
		if (!final && lastDone >= 0 && (done <= lastDone || (at - lastAt < intervalMs && done - lastDone < t * step))) return;
		lastAt = at;
		lastDone = done;
		finished = final;
		send(done, t);
	};
}
