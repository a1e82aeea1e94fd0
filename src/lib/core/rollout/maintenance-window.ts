/**
 * Maintenance windows of a rollout (issue #17): a device receives the rollout's commands only while one of its
 * windows is open. A window opens at each occurrence of a cron expression, evaluated in a named time zone, and
 * stays open for a duration. The cron evaluation is croner's (time zones through Intl, no hand-written cron).
 *
 * Daylight-saving changes follow the wall clock of the zone: "0 2 * * *" in Europe/Berlin opens at 02:00 local
 * time every day, whatever the UTC offset; on the spring-forward night, when 02:00 does not exist, croner opens it
 * at the first instant after the gap (03:00 local), and on the fall-back night, when 02:00 comes twice, it
 * opens once, at the second (standard-time) 02:00. The duration is
 * real elapsed time, so a window that spans a change lasts exactly its duration.
 */
import { Cron } from 'croner';
import { err, ok, type Result } from '../result';

export type MaintenanceWindow = {
	/** Five fields (minute hour day-of-month month day-of-week), or six with seconds first. */
	cron: string;
	durationMinutes: number;
	/** IANA zone, e.g. "Europe/Berlin". */
	timeZone: string;
};

export type WindowError = { code: 'invalid_window'; field: 'cron' | 'durationMinutes' | 'timeZone'; message: string };

/** A window checked once and ready to evaluate. */
export type CompiledWindow = { window: MaintenanceWindow; cron: Cron; durationMs: number };

/** The longest window: a week, so "is it open?" never has to look further back than one week. */
export const MAX_WINDOW_MINUTES = 7 * 24 * 60;

/** How many overlapping occurrences windowState() follows to find where an open window ends. */
const EXTENSION_LOOKAHEAD = 24;

export type WindowState = { open: true; closesAt: number } | { open: false; opensAt: number | null };

export function compileWindow(w: MaintenanceWindow): Result<CompiledWindow, WindowError> {
	if (!Number.isInteger(w.durationMinutes) || w.durationMinutes < 1 || w.durationMinutes > MAX_WINDOW_MINUTES) {
		return err({ code: 'invalid_window', field: 'durationMinutes', message: `The duration must be a whole number of minutes from 1 to ${MAX_WINDOW_MINUTES}.` });
	}
	if (!isTimeZone(w.timeZone)) {
		return err({ code: 'invalid_window', field: 'timeZone', message: `"${w.timeZone}" is not a time zone (use an IANA name such as Europe/Berlin).` });
	}
	try {
		// paused: this object only evaluates; it never schedules a timer.
		const cron = new Cron(w.cron, { timezone: w.timeZone, paused: true });
		return ok({ window: w, cron, durationMs: w.durationMinutes * 60_000 });
	} catch (e) {
		return err({ code: 'invalid_window', field: 'cron', message: `The cron expression is not valid: ${e instanceof Error ? e.message : String(e)}` });
	}
}

function isTimeZone(zone: string): boolean {
	if (zone.trim() === '') return false;
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: zone });
		return true;
	} catch {
		return false;
	}
}

/**
 * Whether the window is open at `now`, and until when (or when it opens next). An occurrence opens the window
 * for [occurrence, occurrence + duration); overlapping occurrences extend it.
 */
export function windowState(w: CompiledWindow, now: number): WindowState {
	// The first occurrence strictly after now - duration: if it is not after now, it opened the window.
	let start = occurrenceAfter(w, now - w.durationMs);
	if (start === null) return { open: false, opensAt: null };
	if (start > now) return { open: false, opensAt: start };
	let closesAt = start + w.durationMs;
	// Occurrences inside the open window push its end. Looked up EXTENSION_LOOKAHEAD occurrences ahead at most, so
	// a window that never closes (every 10 minutes, open 15) answers quickly: closesAt is then a lower bound.
	for (let i = 0; i < EXTENSION_LOOKAHEAD; i++) {
		const next = occurrenceAfter(w, start);
		if (next === null || next >= closesAt) break;
		start = next;
		closesAt = next + w.durationMs;
	}
	return { open: true, closesAt };
}

/** Open if any window is (no windows at all: always open); otherwise the earliest time one opens. */
export function windowsState(windows: readonly CompiledWindow[], now: number): WindowState {
	if (windows.length === 0) return { open: true, closesAt: Number.POSITIVE_INFINITY };
	let closesAt = -1;
	let opensAt: number | null = null;
	for (const w of windows) {
		const s = windowState(w, now);
		if (s.open) closesAt = Math.max(closesAt, s.closesAt);
		else if (s.opensAt !== null && (opensAt === null || s.opensAt < opensAt)) opensAt = s.opensAt;
	}
	return closesAt >= 0 ? { open: true, closesAt } : { open: false, opensAt };
}

function occurrenceAfter(w: CompiledWindow, after: number): number | null {
	return w.cron.nextRun(new Date(after))?.getTime() ?? null;
}
