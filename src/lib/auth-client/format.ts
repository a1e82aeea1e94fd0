/** Times for people, the same on the server and in the browser (no locale or time-zone surprises): UTC to the minute. */
export function formatTime(ms: number | null | undefined): string {
	if (!ms) return '—';
	return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * Times for a device's user, rendered only in their browser: the locale's own order, with the month as a
 * word (so 12/9 vs 9/12 cannot be misread), to the minute (no seconds), with the time zone.
 */
const LOCAL = { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' } as const;
export function formatLocalTime(ms: number | null | undefined, locale?: string, timeZone?: string): string {
	if (!ms) return '—';
	return new Intl.DateTimeFormat(locale, timeZone ? { ...LOCAL, timeZone } : LOCAL).format(ms);
}
