/**
 * A Merkle tree over the (device ID, correlators) leaves of one batch: the MA signs the root once, each
 * device gets an inclusion proof of its own leaf (SCOMO-SEC-01, "one signature per fan-out"), so signing
 * cost does not grow with the fleet while every device still checks that the command names IT.
 *
 * Construction as in RFC 6962 (Certificate Transparency): leaf hash = H(0x00 || leaf), node hash =
 * H(0x01 || left || right), the domain bytes keeping a leaf from ever passing for a node. An odd node at
 * the end of a level moves up unchanged (no duplication, so two different leaf lists never share a root).
 * The hash is injected: node:crypto on the server, the pure sha256 of merkle-sha256.ts on devices.
 */
import { concatBytes, bytesEqual } from './envelope-bytes';
import type { Sha256 } from './merkle-sha256';

const LEAF = new Uint8Array([0]);
const NODE = new Uint8Array([1]);

export const leafHash = (sha256: Sha256, leaf: Uint8Array) => sha256(concatBytes(LEAF, leaf));
export const nodeHash = (sha256: Sha256, left: Uint8Array, right: Uint8Array) => sha256(concatBytes(NODE, left, right));

/** Every level of the tree, leaves first; the last level holds the root. Throws on an empty list. */
export function merkleLevels(sha256: Sha256, leaves: readonly Uint8Array[]): Uint8Array[][] {
	if (leaves.length === 0) throw new RangeError('a Merkle tree needs at least one leaf');
	const levels: Uint8Array[][] = [leaves.map((l) => leafHash(sha256, l))];
	while (levels[levels.length - 1]!.length > 1) {
		const below = levels[levels.length - 1]!;
		const up: Uint8Array[] = [];
		for (let i = 0; i < below.length; i += 2) up.push(i + 1 < below.length ? nodeHash(sha256, below[i]!, below[i + 1]!) : below[i]!);
		levels.push(up);
	}
	return levels;
}

export const merkleRootOf = (levels: readonly Uint8Array[][]): Uint8Array => levels[levels.length - 1]![0]!;

/** The sibling hashes from leaf `index` up to the root (an odd node promoted unchanged adds none). */
export function merkleProof(levels: readonly Uint8Array[][], index: number): Uint8Array[] {
	const count = levels[0]!.length;
	if (!Number.isInteger(index) || index < 0 || index >= count) throw new RangeError('leaf index out of range');
	const siblings: Uint8Array[] = [];
	let i = index;
	for (let l = 0; l < levels.length - 1; l++) {
		const level = levels[l]!;
		const sibling = i % 2 === 1 ? i - 1 : i + 1;
		if (sibling < level.length) siblings.push(level[sibling]!);
		i = Math.floor(i / 2);
	}
	return siblings;
}

/** Does `leaf` sit at `index` of a tree of `count` leaves whose root is `root`? */
export function verifyMerkleProof(
	sha256: Sha256,
	leaf: Uint8Array,
	index: number,
	count: number,
	siblings: readonly Uint8Array[],
	root: Uint8Array
): boolean {
	if (!Number.isInteger(index) || !Number.isInteger(count) || index < 0 || index >= count) return false;
	let h = leafHash(sha256, leaf);
	let i = index;
	let n = count;
	let k = 0;
	while (n > 1) {
		if (i % 2 === 1) {
			const s = siblings[k++];
			if (!s) return false;
			h = nodeHash(sha256, s, h);
		} else if (i + 1 < n) {
			const s = siblings[k++];
			if (!s) return false;
			h = nodeHash(sha256, h, s);
		}
		i = Math.floor(i / 2);
		n = Math.ceil(n / 2);
	}
	return k === siblings.length && bytesEqual(h, root);
}
