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

// The words are the device app's too (core/user-words.ts): both say a download the same way.
export { bytesText, percent, phaseText } from '../core/user-words';
