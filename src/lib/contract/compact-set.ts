/**
 * The compact wire form of a command set (issue #15, "the hot path"): what a signed set repeats of its own
 * signed header is left out and rebuilt by the device before it verifies anything. A full set names the
 * batch, MA name, consent mode, intent, times and every operation's kind, component and version twice (once
 * at the top, once in `envelope.header`), and its leaf names the device the set is sent to. The compact form
 * carries the header once, the leaf's correlators, the index and the proof, and only what the header does
 * not hold: the package references (manifest and MA signature) of operations that have one.
 *
 * Sent only on a connection whose device announced `compact-sets-v1` in the socket.io handshake
 * (`auth: { features: [...] }`): older devices, and devices written from an older protocol.md, keep getting
 * full sets, and a device accepts both. The expanded set is exactly the full set the server would have sent,
 * and is verified as one (MA signature over the header, Merkle proof of the leaf with this device's ID,
 * approval, trust), so the compact form changes no security property: a device that expands with another
 * device ID, or a server that leaves out a different header, fails the proof or the signature (1453).
 */
import * as v from 'valibot';
import { Base64Url, Correlator, Id } from './common';
import { AdminApprovalSchema, BatchHeaderSchema, SignedTrustSchema } from './command-envelope';
import { PackageRef, type CommandSetMsg } from './device-protocol';

/** The handshake feature a device announces to get compact sets (socket.io `auth.features`). */
export const COMPACT_SETS_FEATURE = 'compact-sets-v1';

export const CompactCommandSet = v.strictObject({
	/** The wire form: 2 = compact (a full set has no `v`). */
	v: v.literal(2),
	maId: Id,
	envelope: v.strictObject({
		header: BatchHeaderSchema,
		keyId: Id,
		signature: Base64Url(256),
		/** The leaf's correlators, in header order; the leaf's device is the device the set reached. */
		correlators: v.pipe(v.array(Correlator), v.minLength(1), v.maxLength(20)),
		index: v.pipe(v.number(), v.integer(), v.minValue(0)),
		proof: v.pipe(v.array(Base64Url(64)), v.maxLength(64)),
		approval: v.nullable(AdminApprovalSchema)
	}),
	/** Positions (in the leaf) of the operations this set carries, ascending; absent = all of them. */
	only: v.optional(v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(19))), v.minLength(1), v.maxLength(20))),
	/** The package of each carried operation (null: none), in order; absent when no operation has one. */
	packages: v.optional(v.pipe(v.array(v.nullable(PackageRef)), v.maxLength(20))),
	trust: v.optional(SignedTrustSchema)
});

export type CompactCommandSetMsg = v.InferOutput<typeof CompactCommandSet>;

/** Is this (unchecked) payload meant as a compact set? (A full set has no `v`.) */
export const isCompactSet = (raw: unknown): boolean => typeof raw === 'object' && raw !== null && (raw as { v?: unknown }).v === 2;

/**
 * The compact form of a sealed set for the device `recipient`, or null when it has none. Lossless or nothing: the
 * compact form is only used when the recipient, expanding it, gets back exactly this set. Anything else (no
 * envelope, top-level fields that are not the header's, operations out of the signed order, a leaf addressed to
 * another device) goes as it is, so the device judges the very set the relay was given.
 */
export function compactSet(set: CommandSetMsg, recipient: string): CompactCommandSetMsg | null {
	// What expanding cannot give back: another device's leaf; compactForm refuses the rest (fields not the
	// header's, operations not the signed ones or out of the signed order).
	if (set.envelope?.leaf.deviceId !== recipient) return null;
	return compactForm(set);
}

/** Positions strictly increasing: the order expansion lists operations in, so the only order it can give back. */
const inSignedOrder = (only: readonly number[]) => only.every((k, i) => i === 0 || k > only[i - 1]!);

function compactForm(set: CommandSetMsg): CompactCommandSetMsg | null {
	const env = set.envelope;
	if (!env) return null;
	const h = env.header;
	const same =
		set.batchId === h.batchId &&
		set.maId === h.maId &&
		set.maName === h.maName &&
		set.consentMode === h.consentMode &&
		set.intent === h.intent &&
		set.issuedAt === h.issuedAt &&
		set.expiresAt === h.expiresAt;
	if (!same) return null;
	const only: number[] = [];
	for (const op of set.operations) {
		const k = env.leaf.correlators.indexOf(op.correlator);
		const signed = h.operations[k];
		if (k < 0 || !signed || signed.kind !== op.kind || signed.componentId !== op.componentId || signed.version !== op.version) return null;
		if ((signed.package === null) !== (op.package === null)) return null;
		only.push(k);
	}
	if (!inSignedOrder(only)) return null;
	const all = only.length === env.leaf.correlators.length && only.every((k, i) => k === i);
	const packages = set.operations.some((o) => o.package !== null) ? set.operations.map((o) => o.package) : undefined;
	return {
		v: 2,
		maId: set.maId,
		envelope: { header: h, keyId: env.keyId, signature: env.signature, correlators: env.leaf.correlators, index: env.index, proof: env.proof, approval: env.approval },
		...(all ? {} : { only }),
		...(packages ? { packages } : {}),
		...(set.trust ? { trust: set.trust } : {})
	};
}

/**
 * The full set a compact one stands for, addressed to `deviceId` (the device that received it). Null when the
 * compact set cannot stand for one (a position or package list that does not fit the header): the device
 * then answers it as an invalid set.
 */
export function expandCompactSet(c: CompactCommandSetMsg, deviceId: string): CommandSetMsg | null {
	const env = c.envelope;
	const h = env.header;
	const only = c.only ?? env.correlators.map((_, i) => i);
	if (!inSignedOrder(only) || only.some((k) => k >= env.correlators.length || k >= h.operations.length)) return null;
	if (c.packages && c.packages.length !== only.length) return null;
	return {
		batchId: h.batchId,
		maId: c.maId,
		maName: h.maName,
		consentMode: h.consentMode,
		intent: h.intent,
		issuedAt: h.issuedAt,
		expiresAt: h.expiresAt,
		operations: only.map((k, i) => {
			const op = h.operations[k]!;
			return { correlator: env.correlators[k]!, kind: op.kind, componentId: op.componentId, version: op.version, package: c.packages?.[i] ?? null };
		}),
		envelope: {
			header: h,
			keyId: env.keyId,
			signature: env.signature,
			leaf: { deviceId, correlators: env.correlators },
			index: env.index,
			proof: env.proof,
			approval: env.approval
		},
		...(c.trust ? { trust: c.trust } : {})
	};
}
