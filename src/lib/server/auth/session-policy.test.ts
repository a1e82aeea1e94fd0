import { describe, expect, it } from 'vitest';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, SESSION_TOUCH_MS, sessionStatus, shouldTouch } from './session-policy';

const t0 = 1_800_000_000_000;
const fresh = { createdAt: t0, lastSeenAt: t0, expiresAt: t0 + SESSION_ABSOLUTE_MS };

describe('session expiry', () => {
	it.each([
		['just created', fresh, t0, 'valid'],
		['used a moment before the idle limit', fresh, t0 + SESSION_IDLE_MS - 1, 'valid'],
		['idle for the whole idle limit', fresh, t0 + SESSION_IDLE_MS, 'idle'],
		['active recently but past the absolute limit', { ...fresh, lastSeenAt: t0 + SESSION_ABSOLUTE_MS - 1000 }, t0 + SESSION_ABSOLUTE_MS, 'expired'],
		['active and inside both limits', { ...fresh, lastSeenAt: t0 + 3 * SESSION_IDLE_MS }, t0 + 3 * SESSION_IDLE_MS + 1000, 'valid']
	] as const)('%s → %s', (_name, s, now, expected) => {
		expect(sessionStatus(s, now)).toBe(expected);
	});

	it('activity extends the idle window but never the absolute one', () => {
		// Touching every 11 hours keeps it alive until the absolute expiry, then no longer.
		let s = { ...fresh };
		for (let now = t0; now < t0 + SESSION_ABSOLUTE_MS; now += 11 * 3600_000) {
			expect(sessionStatus(s, now)).toBe('valid');
			s = { ...s, lastSeenAt: now };
		}
		expect(sessionStatus(s, t0 + SESSION_ABSOLUTE_MS)).toBe('expired');
	});

	it('writes activity back at most once a minute', () => {
		expect(shouldTouch(fresh, t0 + SESSION_TOUCH_MS - 1)).toBe(false);
		expect(shouldTouch(fresh, t0 + SESSION_TOUCH_MS)).toBe(true);
	});
});
