/**
 * What a console received, one entry per event: the server sends the MA's live events batched (`live`, one
 * message per turn), these helpers unpack a message so tests can look for single events.
 */
import type { Socket } from 'socket.io-client';
import type { AdminLiveItem } from '../../src/lib/contract/admin-protocol';
import { PATIENCE_MS } from './patience';

export type ReceivedEvent = { event: string; payload: unknown };

/** A socket.io message (as onAny sees it) as single events: a `live` batch becomes its items, anything else stays. */
export function unpackAdminMessage(event: string, payload: unknown): ReceivedEvent[] {
	if (event !== 'live') return [{ event, payload }];
	return (payload as AdminLiveItem[]).map((item) => ({ event: item.event, payload: item.data }));
}

/**
 * Everything a console socket receives, unpacked (unpackAdminMessage), and a bounded wait for the first event
 * that matches, whether it came already or comes later (no sleeping).
 */
export function adminEventLog(socket: Pick<Socket, 'onAny' | 'offAny'>) {
	const received: ReceivedEvent[] = [];
	socket.onAny((event: string, payload: unknown) => received.push(...unpackAdminMessage(event, payload)));
	function waitFor(match: (e: ReceivedEvent) => boolean, what: string, ms = PATIENCE_MS): Promise<ReceivedEvent> {
		const found = () => received.find(match);
		if (found()) return Promise.resolve(found()!);
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`no ${what}; got ${JSON.stringify(received.map((r) => r.event))}`)), ms);
			const check = () => {
				const f = found();
				if (!f) return;
				clearTimeout(timer);
				socket.offAny(check);
				resolve(f);
			};
			socket.onAny(check);
		});
	}
	return { received, waitFor };
}
