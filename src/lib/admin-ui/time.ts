/** Times for people: absolute UTC (the same on server and browser) and a short "how long ago". */
export { formatTime } from '../auth-client/format';

export function ago(ms: number | null | undefined, now: number): string {
	if (!ms) return 'never';
	const s = Math.max(0, Math.round((now - ms) / 1000));
	if (s < 45) return 'just now';
	const m = Math.round(s / 60);
	if (m < 60) return `${m} min ago`;
	const h = Math.round(m / 60);
	if (h < 48) return `${h} h ago`;
	return `${Math.round(h / 24)} days ago`;
}

/** "in 23 h" / "in 6 days" for a time ahead; "past" once it has gone. */
export function until(ms: number, now: number): string {
	const m = Math.round((ms - now) / 60_000);
	if (m <= 0) return 'past';
	if (m < 60) return `in ${m} min`;
	const h = Math.round(m / 60);
	return h < 48 ? `in ${h} h` : `in ${Math.round(h / 24)} days`;
}

/** "a3f9c2d1…" — enough of an ID or correlator to tell rows apart on a phone. */
export const short = (id: string, n = 8) => (id.length > n ? `${id.slice(0, n)}…` : id);
