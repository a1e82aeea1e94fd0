import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { sha256 } from './merkle-sha256';
import { merkleLevels, merkleProof, merkleRootOf, verifyMerkleProof } from './merkle';
import { utf8 } from './envelope-bytes';

const nodeSha = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

describe('sha256 (pure)', () => {
	it('matches the FIPS test vectors', () => {
		expect(Buffer.from(sha256(utf8(''))).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
		expect(Buffer.from(sha256(utf8('abc'))).toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
	});

	it('matches node:crypto on random inputs of every padding length', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
				expect(Buffer.from(sha256(bytes)).equals(Buffer.from(nodeSha(bytes)))).toBe(true);
			}),
			{ numRuns: 300 }
		);
	});
});

describe('merkle tree', () => {
	const leaves = (n: number) => Array.from({ length: n }, (_, i) => utf8(`device-${i}`));

	it('every leaf of trees of 1..40 leaves proves inclusion; the pure and node hashes agree', () => {
		for (let n = 1; n <= 40; n++) {
			const levels = merkleLevels(sha256, leaves(n));
			const root = merkleRootOf(levels);
			expect(Buffer.from(root).equals(Buffer.from(merkleRootOf(merkleLevels(nodeSha, leaves(n)))))).toBe(true);
			for (let i = 0; i < n; i++) {
				expect(verifyMerkleProof(sha256, leaves(n)[i]!, i, n, merkleProof(levels, i), root)).toBe(true);
			}
		}
	});

	it('refuses a wrong leaf, a wrong index, a wrong count, a tampered or extra sibling', () => {
		const ls = leaves(13);
		const levels = merkleLevels(sha256, ls);
		const root = merkleRootOf(levels);
		const proof = merkleProof(levels, 5);
		expect(verifyMerkleProof(sha256, utf8('device-99'), 5, 13, proof, root)).toBe(false);
		expect(verifyMerkleProof(sha256, ls[5]!, 4, 13, proof, root)).toBe(false);
		// The count shapes the path (the signed header carries it); a tree of 6 has another shape.
		expect(verifyMerkleProof(sha256, ls[5]!, 5, 6, proof, root)).toBe(false);
		expect(verifyMerkleProof(sha256, ls[5]!, 5, 13, [...proof, root], root)).toBe(false);
		const bad = proof.map((p) => p.slice());
		bad[0]![0]! ^= 1;
		expect(verifyMerkleProof(sha256, ls[5]!, 5, 13, bad, root)).toBe(false);
		expect(verifyMerkleProof(sha256, ls[5]!, -1, 13, proof, root)).toBe(false);
	});

	it('a single leaf is its own root (hashed with the leaf prefix)', () => {
		const levels = merkleLevels(sha256, [utf8('only')]);
		expect(merkleProof(levels, 0)).toEqual([]);
		expect(verifyMerkleProof(sha256, utf8('only'), 0, 1, [], merkleRootOf(levels))).toBe(true);
	});

	it('proof length grows with log2 of the fleet', () => {
		const levels = merkleLevels(nodeSha, leaves(10_000));
		expect(merkleProof(levels, 9_999).length).toBeLessThanOrEqual(14);
	});
});
