/**
 * The published test vectors (docs/vectors, docs/protocol.md) against the product: the generator run with
 * today's code must reproduce the committed files byte for byte, and the product's verifiers must accept
 * them (signatures with the published keys, Merkle proofs, the sealed package with the device's key).
 */
import { describe, it, expect } from 'vitest';
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildVectors, vectorText } from '../../../scripts/protocol-vectors';
import { canonicalJson } from '../core/envelope-canonical';
import { verifyMerkleProof } from '../core/merkle';
import { sha256 } from '../core/merkle-sha256';
import { fromB64u, utf8 } from '../core/envelope-bytes';
import { leafBytes, envelopeMessage, resultMessage, trustMessage } from '../core/envelope';
import { openSealedPackage } from '../device/package-check-open';
import { CommandSet, CompactCommandSet, OperationResult, expandCompactSet, parse } from '.';

const DIR = path.resolve(import.meta.dirname, '../../../docs/vectors');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const load = (name: string): any => JSON.parse(readFileSync(path.join(DIR, name), 'utf8'));

const ed25519Verifies = (publicKey: string, message: string, signature: string) =>
	verify(null, Buffer.from(message, 'utf8'), createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' }), Buffer.from(signature, 'base64url'));

describe('docs/vectors', () => {
	it('are what the product produces today (regenerate with npx tsx scripts/protocol-vectors.ts)', async () => {
		const files = await buildVectors();
		expect(Object.keys(files).length).toBe(5);
		for (const [name, value] of Object.entries(files)) expect(readFileSync(path.join(DIR, name), 'utf8'), name).toBe(vectorText(value));
	});

	it('canonical JSON: the product encodes every corpus case to the published text', () => {
		const { cases } = load('canonical-json.json');
		expect(cases.length).toBeGreaterThanOrEqual(8);
		for (const c of cases) {
			const value = JSON.parse(c.inputJson);
			for (const k of c.undefinedMembers ?? []) value[k] = undefined;
			expect(canonicalJson(value), c.name).toBe(c.canonical);
			expect(Buffer.from(c.canonical, 'utf8').toString('hex'), c.name).toBe(c.utf8Hex);
		}
	});

	it('Merkle trees of 1, 2, 3 and 7 leaves: every published proof verifies, and a wrong index does not', () => {
		const { trees } = load('merkle.json');
		expect(trees.map((t: { leafCount: number }) => t.leafCount)).toEqual([1, 2, 3, 7]);
		for (const t of trees) {
			const root = fromB64u(t.root)!;
			t.leaves.forEach((l: { leaf: { deviceId: string; correlators: string[] }; leafJson: string; proof: string[] }, i: number) => {
				expect(new TextDecoder().decode(leafBytes(l.leaf))).toBe(l.leafJson);
				const proof = l.proof.map((p) => fromB64u(p)!);
				expect(verifyMerkleProof(sha256, utf8(l.leafJson), i, t.leafCount, proof, root)).toBe(true);
				if (t.leafCount > 1) expect(verifyMerkleProof(sha256, utf8(l.leafJson), (i + 1) % t.leafCount, t.leafCount, proof, root)).toBe(false);
			});
		}
	});

	it('every signed message is the published text and its signature verifies with the published key', () => {
		const keys = load('keys.json');
		const m = load('messages.json');
		const device = keys.device.publicKey;
		const ma = keys.ma.publicKey;
		expect(m.deviceAuth.message).toBe(`scomo-device-auth:v1:${m.deviceAuth.nonce}:${keys.device.deviceId}:${keys.origin}`);
		expect(ed25519Verifies(device, m.deviceAuth.message, m.deviceAuth.signature)).toBe(true);
		expect(m.enrollProof.message).toBe(`scomo-enroll:v1:${m.enrollProof.code}:${device}`);
		expect(ed25519Verifies(device, m.enrollProof.message, m.enrollProof.signature)).toBe(true);
		expect(trustMessage(m.trust.statement)).toBe(m.trust.message);
		expect(ed25519Verifies(ma, m.trust.message, m.trust.signatures[0].signature)).toBe(true);
		expect(envelopeMessage(m.command.header)).toBe(m.command.message);
		expect(ed25519Verifies(ma, m.command.message, m.command.signature)).toBe(true);
		expect(ed25519Verifies(ma, m.packageSignature.bytesText, m.packageSignature.signature)).toBe(true);
		expect(resultMessage(m.result.deviceId, m.result.result)).toBe(m.result.message);
		expect(ed25519Verifies(device, m.result.message, m.result.signature)).toBe(true);
		// A one-character change breaks each signature (the check can fail).
		expect(ed25519Verifies(ma, m.command.message.replace('Install', 'install'), m.command.signature)).toBe(false);
	});

	it('the sample command set and result are valid under the wire schemas, and the set is in the signed batch', () => {
		const m = load('messages.json');
		const keys = load('keys.json');
		expect(parse(CommandSet, m.commandSet).ok).toBe(true);
		expect(parse(OperationResult, { ...m.result.result, signature: m.result.signature }).ok).toBe(true);
		const env = m.commandSet.envelope;
		const ok = verifyMerkleProof(sha256, leafBytes(env.leaf), env.index, env.header.leafCount, env.proof.map((p: string) => fromB64u(p)!), fromB64u(env.header.root)!);
		expect(ok).toBe(true);
		// Its compact form (issue #15) names no device and rebuilds, for device 1, into exactly the full set.
		const compact = parse(CompactCommandSet, m.commandSetCompact);
		expect(compact.ok).toBe(true);
		expect(JSON.stringify(m.commandSetCompact)).not.toContain(keys.device.deviceId);
		expect(compact.ok && expandCompactSet(compact.value, keys.device.deviceId)).toEqual(m.commandSet);
	});

	it('the sealed package opens with the device key to the published bundle', async () => {
		const s = load('sealed-package.json');
		const key = await crypto.subtle.importKey('jwk', s.deviceEncryptionKey.jwk, { name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
		const opened = await openSealedPackage(key, new Uint8Array(Buffer.from(s.sealedB64u, 'base64url')));
		expect(opened.ok && new TextDecoder().decode(opened.bytes)).toBe(s.bundleText);
		const other = await crypto.subtle.importKey('jwk', s.ephemeral.jwk, { name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
		expect((await openSealedPackage(other, new Uint8Array(Buffer.from(s.sealedB64u, 'base64url')))).ok).toBe(false);
	});
});
