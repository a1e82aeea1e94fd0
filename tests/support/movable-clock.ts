/**
 * A server clock a test can move forward (expiry without waiting). Given to the server when it starts:
 * the app's clock is fixed at creation, so tests move this one instead of replacing the app's.
 */
export type MovableClock = { now: () => number; advance(ms: number): void; reset(): void };

export function movableClock(): MovableClock {
	let offset = 0;
	return {
		now: () => Date.now() + offset,
		advance: (ms) => void (offset += ms),
		reset: () => void (offset = 0)
	};
}
