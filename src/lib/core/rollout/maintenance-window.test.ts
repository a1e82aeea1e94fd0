import { describe, it, expect } from 'vitest';
import { compileWindow, windowState, windowsState, type CompiledWindow, type MaintenanceWindow } from './maintenance-window';

const compile = (w: MaintenanceWindow): CompiledWindow => {
	const c = compileWindow(w);
	if (!c.ok) throw new Error(c.error.message);
	return c.value;
};
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().replace('.000', ''));
/** The state as one readable string: "open until …" or "closed until …". */
const state = (w: CompiledWindow, now: string) => {
	const s = windowState(w, at(now));
	return s.open ? `open until ${iso(s.closesAt)}` : `closed until ${iso(s.opensAt)}`;
};

describe('maintenance windows', () => {
	const nightly = compile({ cron: '0 2 * * *', durationMinutes: 120, timeZone: 'Europe/Berlin' });

	it.each([
		// An ordinary winter night: 02:00 CET is 01:00 UTC.
		['2026-01-14T00:59:59Z', 'closed until 2026-01-14T01:00:00Z'],
		['2026-01-14T01:00:00Z', 'open until 2026-01-14T03:00:00Z'],
		['2026-01-14T02:59:59Z', 'open until 2026-01-14T03:00:00Z'],
		['2026-01-14T03:00:00Z', 'closed until 2026-01-15T01:00:00Z'],
		// Summer: 02:00 CEST is 00:00 UTC, the wall clock wins.
		['2026-07-01T00:30:00Z', 'open until 2026-07-01T02:00:00Z'],
		// Spring forward (29 March 2026): 02:00 does not exist; the window opens after the gap, at 03:00 CEST.
		['2026-03-29T00:30:00Z', 'closed until 2026-03-29T01:00:00Z'],
		['2026-03-29T01:10:00Z', 'open until 2026-03-29T03:00:00Z'],
		// The next night is summer time again: 02:00 CEST = 00:00 UTC.
		['2026-03-29T23:30:00Z', 'closed until 2026-03-30T00:00:00Z'],
		// Fall back (25 October 2026): 02:00 comes twice; the window opens once, at the second (CET) one.
		['2026-10-25T00:30:00Z', 'closed until 2026-10-25T01:00:00Z'],
		['2026-10-25T01:30:00Z', 'open until 2026-10-25T03:00:00Z'],
		['2026-10-25T03:30:00Z', 'closed until 2026-10-26T01:00:00Z']
	])('a nightly 02:00 Berlin window, two hours, at %s: %s', (now, expected) => {
		expect(state(nightly, now)).toBe(expected);
	});

	it('a window spanning the fall-back change lasts its real duration, not its wall-clock span', () => {
		// 01:30 local on 25 October 2026 is CEST (23:30 UTC the day before); three hours later it is 03:30 CET.
		const w = compile({ cron: '30 1 25 10 *', durationMinutes: 180, timeZone: 'Europe/Berlin' });
		expect(state(w, '2026-10-24T23:45:00Z')).toBe('open until 2026-10-25T02:30:00Z');
	});

	it('weekday windows in New York follow its own change (8 March 2026), not Europe’s', () => {
		const w = compile({ cron: '0 22 * * 1-5', durationMinutes: 60, timeZone: 'America/New_York' });
		expect(state(w, '2026-03-06T03:30:00Z')).toBe('open until 2026-03-06T04:00:00Z'); // Thu 22:30 EST
		expect(state(w, '2026-03-07T12:00:00Z')).toBe('closed until 2026-03-10T02:00:00Z'); // Sat → Mon 22:00 EDT
	});

	it('overlapping occurrences extend the open window', () => {
		const w = compile({ cron: '*/10 * * * *', durationMinutes: 15, timeZone: 'UTC' });
		// Opens every 10 minutes for 15, so it never closes: the end is looked up a bounded number of occurrences ahead.
		const s = windowState(w, at('2026-05-01T12:05:00Z'));
		expect(s.open).toBe(true);
		if (s.open) expect(s.closesAt).toBeGreaterThanOrEqual(at('2026-05-01T13:00:00Z'));
		// One occurrence alone: 12:00 + 15 min. With the 12:10 one it lasts until 12:25 at least.
		expect(state(compile({ cron: '0,10 12 * * *', durationMinutes: 15, timeZone: 'UTC' }), '2026-05-01T12:05:00Z')).toBe(
			'open until 2026-05-01T12:25:00Z'
		);
	});

	it('several windows: open if any is, otherwise the earliest next opening; none means always open', () => {
		const morning = compile({ cron: '0 6 * * *', durationMinutes: 30, timeZone: 'UTC' });
		const evening = compile({ cron: '0 20 * * *', durationMinutes: 30, timeZone: 'UTC' });
		expect(windowsState([morning, evening], at('2026-05-01T12:00:00Z'))).toEqual({ open: false, opensAt: at('2026-05-01T20:00:00Z') });
		expect(windowsState([morning, evening], at('2026-05-01T06:10:00Z'))).toEqual({ open: true, closesAt: at('2026-05-01T06:30:00Z') });
		expect(windowsState([], at('2026-05-01T12:00:00Z')).open).toBe(true);
	});

	it('a cron expression that never fires (30 February) leaves the window closed with no next opening', () => {
		const w = compile({ cron: '0 0 30 2 *', durationMinutes: 10, timeZone: 'UTC' });
		expect(windowState(w, at('2026-05-01T12:00:00Z'))).toEqual({ open: false, opensAt: null });
	});

	it.each([
		[{ cron: 'every night', durationMinutes: 60, timeZone: 'UTC' }, 'cron'],
		[{ cron: '0 61 * * *', durationMinutes: 60, timeZone: 'UTC' }, 'cron'],
		[{ cron: '0 2 * * *', durationMinutes: 0, timeZone: 'UTC' }, 'durationMinutes'],
		[{ cron: '0 2 * * *', durationMinutes: 1.5, timeZone: 'UTC' }, 'durationMinutes'],
		[{ cron: '0 2 * * *', durationMinutes: 7 * 24 * 60 + 1, timeZone: 'UTC' }, 'durationMinutes'],
		[{ cron: '0 2 * * *', durationMinutes: 60, timeZone: 'Mars/Olympus' }, 'timeZone'],
		[{ cron: '0 2 * * *', durationMinutes: 60, timeZone: '' }, 'timeZone']
	] as const)('refuses %j, naming the field %s', (w, field) => {
		const c = compileWindow(w);
		expect(c.ok).toBe(false);
		if (!c.ok) expect(c.error).toMatchObject({ code: 'invalid_window', field });
	});
});
