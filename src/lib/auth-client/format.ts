/** Times for people, the same on the server and in the browser (no locale or time-zone surprises): UTC to the minute. */
export function formatTime(ms: number | null | undefined): string {
	if (!ms) return '—';
	return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
