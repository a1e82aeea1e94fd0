/**
 * What a console received, one entry per event: the server sends the MA's live events batched (`live`, one
 * message per turn), these helpers unpack a message so tests can look for single events.
 */
import type { AdminLiveItem } from '../../src/lib/contract/admin-protocol';

export type ReceivedEvent = { event: string; payload: unknown };

/** A socket.io message (as onAny sees it) as single events: a `live` batch becomes its items, anything else stays. */
export function unpackAdminMessage(event: string, payload: unknown): ReceivedEvent[] {
	if (event !== 'live') return [{ event, payload }];
	return (payload as AdminLiveItem[]).map((item) => ({ event: item.event, payload: item.data }));
}
