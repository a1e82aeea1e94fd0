/**
 * What one device connection (one socket) already holds, so a command set does not carry it again (issue #15):
 * the MA trust statement versions the device reported in `device:info` or acked in an earlier set on this
 * connection. The memory lives in the socket's data, so a reconnect starts empty and the first set on a new
 * connection carries everything again (the device may have restarted and lost what it had in memory; what it
 * pinned it reports again in `device:info`).
 *
 * Only what the device verifies against state it keeps is left out: the trust statement is an update the
 * device takes only when it is newer than the one it pinned (docs/protocol.md check 2), so a set without it
 * verifies against the pinned statement exactly as a set with the same version would. The signed header, the
 * MA signature, the approval, the leaf and the proof travel with every set: each device gets one set per
 * batch, so there is nothing per batch that a connection could already hold (see docs/protocol.md).
 *
 * A device that announced the compact form (contract compact-set.ts) gets it: what the set repeats of its
 * signed header is left out, and the device rebuilds the full set before verifying it.
 */
import { compactSet, type CommandSetMsg, type CompactCommandSetMsg } from '../../contract';

export type ConnectionMemory = {
	/** The device holds this MA's statement at `seq` (or newer). */
	holdsTrust(maId: string, seq: number): void;
	/**
	 * The set as this connection needs it: without the trust statement when the device holds that version, in
	 * the compact form when the device takes it.
	 */
	tailor(set: CommandSetMsg, deviceId: string): CommandSetMsg | CompactCommandSetMsg;
	/** The device acked this set (as sent on this connection): it holds what the set carried. */
	acked(set: CommandSetMsg | CompactCommandSetMsg): void;
};

/** `compact`: the device announced the compact form in its handshake (COMPACT_SETS_FEATURE). */
export function forConnection(opts: { compact?: boolean } = {}): ConnectionMemory {
	const trustSeq = new Map<string, number>();
	const holdsTrust = (maId: string, seq: number) => {
		if ((trustSeq.get(maId) ?? 0) < seq) trustSeq.set(maId, seq);
	};
	return {
		holdsTrust,
		tailor(set, deviceId) {
			const t = set.trust;
			const held = t !== undefined && t.statement.maId === set.maId && (trustSeq.get(t.statement.maId) ?? 0) >= t.statement.seq;
			const { trust: _held, ...rest } = set;
			const needed: CommandSetMsg = held ? rest : set;
			return (opts.compact && compactSet(needed, deviceId)) || needed;
		},
		acked(set) {
			// Taken or refused, the device has now seen this version: sending it again on this connection changes
			// nothing (a refused update is refused again; verification is deterministic for a given statement).
			if (set.trust && set.trust.statement.maId === set.maId) holdsTrust(set.maId, set.trust.statement.seq);
		}
	};
}
