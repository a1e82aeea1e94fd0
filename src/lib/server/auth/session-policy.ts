/**
 * When a session ends, as pure rules (unit-tested without a database): an idle expiry that activity
 * pushes forward, and an absolute expiry that nothing extends.
 */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
/** Activity is written back at most this often, so reads do not turn every request into a write. */
export const SESSION_TOUCH_MS = 60 * 1000;

export type SessionTimes = { createdAt: number; lastSeenAt: number; expiresAt: number };

export type SessionStatus = 'valid' | 'idle' | 'expired';

export function sessionStatus(s: SessionTimes, now: number, idleMs = SESSION_IDLE_MS): SessionStatus {
	if (now >= s.expiresAt) return 'expired';
	if (now - s.lastSeenAt >= idleMs) return 'idle';
	return 'valid';
}

/** Whether a valid session's activity time is old enough to be worth updating. */
export function shouldTouch(s: SessionTimes, now: number): boolean {
	return now - s.lastSeenAt >= SESSION_TOUCH_MS;
}
