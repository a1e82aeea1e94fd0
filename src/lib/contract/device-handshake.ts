/**
 * What a device may say in the socket.io handshake of `/device` (the client's `auth` option), before it
 * authenticates: which optional protocol features it understands and which trust statement versions it
 * pinned, so even the first command set of a connection (the queued delivery right after `auth:prove`) is
 * sent as the device needs it (issue #15). Unknown members are ignored (a later device may say more), and a
 * server that does not know this object ignores it. Nothing here is trusted: it only decides what the
 * server leaves out of sets to this one socket, which the device verifies as always.
 */
import * as v from 'valibot';
import { Id } from './common';

export const DeviceHandshakeAuth = v.object({
	/** Protocol features the device understands, e.g. COMPACT_SETS_FEATURE (compact-set.ts). */
	features: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(64))), v.maxLength(32))),
	/** As `device:info` `trust`: the trust statement sequence number the device pinned per MA. */
	trust: v.optional(v.pipe(v.array(v.strictObject({ maId: Id, seq: v.pipe(v.number(), v.integer(), v.minValue(1)) })), v.maxLength(64)))
});

export type DeviceHandshakeAuthMsg = v.InferOutput<typeof DeviceHandshakeAuth>;
