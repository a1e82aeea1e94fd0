/**
 * Live download progress in the console: the `operation:progress` events (not stored by the server) kept
 * per operation, and their words. A tick without bytes (the install phase after the download) keeps the
 * bytes already known, so the bar stays full instead of vanishing.
 */
import type { AdminProgressEvent } from '../contract/admin-protocol';

export type ProgressById = Record<string, AdminProgressEvent>;

/** The map with this event applied; an older event (by `at`) than the one kept changes nothing. */
export function mergeProgress(map: ProgressById, ev: AdminProgressEvent): ProgressById {
	const prev = map[ev.id];
	if (prev && prev.at > ev.at) return map;
	const keepBytes = ev.bytesDone === null && prev && prev.bytesDone !== null;
	return { ...map, [ev.id]: keepBytes ? { ...ev, bytesDone: prev.bytesDone, bytesTotal: prev.bytesTotal } : ev };
}

/** From the server's list (a page load) to the map. */
export function progressMap(list: readonly AdminProgressEvent[]): ProgressById {
	return list.reduce<ProgressById>((m, p) => mergeProgress(m, p), {});
}

const MB = 1024 * 1024;

/** "1.2 of 3.0 MB" (below a tenth of a MB in kB, so small packages do not read "0.0 of 0.0 MB"). */
export function bytesText(done: number, total: number): string {
	if (total < MB / 10) return `${Math.round(done / 1024)} of ${Math.max(1, Math.round(total / 1024))} kB`;
	return `${(done / MB).toFixed(1)} of ${(total / MB).toFixed(1)} MB`;
}

/** Whole percent done, 0..100. */
export const percent = (done: number, total: number): number => (total <= 0 ? 0 : Math.min(100, Math.floor((100 * done) / total)));

/** What the device is doing, in words, for a progress event (phase and SCOMO Download status). */
export function phaseText(p: Pick<AdminProgressEvent, 'phase' | 'downloadStatus'>): string {
	if (p.phase === 'awaiting-consent') return 'Waiting for the user';
	if (p.downloadStatus === 30) return 'Downloading';
	if (p.downloadStatus === 40) return 'Downloaded, checking';
	if (p.downloadStatus === 50) return 'Installing';
	return 'Under way';
}
