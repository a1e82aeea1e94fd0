/**
 * Generates the protocol test vectors in docs/vectors/ (docs/protocol.md, "Test vectors") with the product's
 * own code and fixed keys, so the output is the same on every run: Ed25519 signatures are deterministic,
 * and sealing gets a fixed ephemeral key, salt, nonce and content key. src/lib/contract/protocol-vectors.test.ts
 * regenerates them and compares with the committed files, so the documents and the code cannot drift.
 *
 *   npx tsx scripts/protocol-vectors.ts          writes docs/vectors/*.json
 *   npx tsx scripts/protocol-vectors.ts --check  exits 1 when the committed files differ
 *
 * Every secret below is derived from a public label (SHA-256 of "scomo-vectors:<name>"): these keys are
 * published and must never be used for anything else.
 */
import { createECDH, createHash, createPrivateKey, hkdfSync, sign as nodeSign } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '../src/lib/core/envelope-canonical';
import {
	approvalChallenge,
	envelopeMessage,
	leafBytes,
	manifestDigest,
	resultMessage,
	trustMessage,
	type BatchHeader,
	type EnvelopeLeaf,
	type TrustStatement
} from '../src/lib/core/envelope';
import { merkleLevels, merkleProof, merkleRootOf } from '../src/lib/core/merkle';
import { b64u, hex, utf8 } from '../src/lib/core/envelope-bytes';
import { deviceAuthMessage, enrollProofMessage } from '../src/lib/contract/device-protocol';
import { compactSet } from '../src/lib/contract/compact-set';
import type { CommandSetMsg } from '../src/lib/contract/device-protocol';
import { packageSignedBytes, SEALED_CONTENT_TYPE } from '../src/lib/contract/sealed-package';
import { sealWith } from '../src/lib/server/package-crypto/seal';
import type { Manifest } from '../src/lib/contract/manifest';

const sha = (bytes: Uint8Array) => new Uint8Array(createHash('sha256').update(bytes).digest());
const secret = (name: string) => sha(utf8(`scomo-vectors:${name}`));
const B64 = (u: Uint8Array | Buffer) => Buffer.from(u).toString('base64url');

/** Ed25519 from a 32-byte seed (RFC 8032): PKCS#8 is a fixed 16-byte prefix + the seed. */
function ed25519(name: string) {
	const seed = secret(name);
	const key = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
	const jwk = key.export({ format: 'jwk' }) as { x: string };
	return {
		seed: B64(seed),
		publicKey: jwk.x,
		sign: (message: Uint8Array) => B64(nodeSign(null, message, key))
	};
}

/** ECDH P-256 from a fixed scalar: the JWK WebCrypto imports, and the raw uncompressed public point. */
function p256(name: string) {
	const d = secret(name);
	const ecdh = createECDH('prime256v1');
	ecdh.setPrivateKey(d);
	const point = ecdh.getPublicKey();
	const jwk = { kty: 'EC', crv: 'P-256', d: B64(d), x: B64(point.subarray(1, 33)), y: B64(point.subarray(33)) };
	return { jwk, publicKey: B64(point) };
}

const ORIGIN = 'http://localhost:3000';
const MA_ID = '01900000-0000-7000-8000-0000000000aa';
const MA_KEY_ID = '01900000-0000-7000-8000-0000000000ab';
const DEVICE_ID = '01900000-0000-7000-8000-000000000001';
const deviceIds = (n: number) => Array.from({ length: n }, (_, i) => `01900000-0000-7000-8000-${String(i + 1).padStart(12, '0')}`);

const manifest: Manifest = {
	id: 'com.example.clock',
	name: 'Clock',
	version: '1.0.0',
	description: 'Shows the time.',
	permissions: ['ui'],
	compatibleBaselines: ['*'],
	entry: 'main.js'
};
const bundleText = 'export default { start() { return "tick"; }, stop() {} };\n';

function canonicalCorpus() {
	// Inputs are JSON texts (so that number spellings survive); `undefinedMembers` are added as undefined-valued keys before encoding.
	const cases: { name: string; inputJson: string; undefinedMembers?: string[]; canonical?: string }[] = [
		{ name: 'keys sorted, no whitespace', inputJson: '{ "b": 1, "a": [3, 2, 1], "c": { "z": null, "y": true } }' },
		{ name: 'keys sorted by UTF-16 code units, not by code point', inputJson: '{"\\uffff": 1, "😀": 2, "é": 3, "z": 4, "Z": 5, "": 6}' },
		{ name: 'numbers as ECMAScript Number::toString', inputJson: '[1.0, -0, 0.1, 1e21, 1e-7, 123456789012345678901, 2.5e-3, -1.5E+2, 9007199254740993]' },
		{ name: 'strings: JSON.stringify escapes only " \\\\ and U+0000..U+001F', inputJson: '["a\\"b\\\\c", "\\u0001\\b\\f\\n\\r\\t\\u001f", "/ < > & \\u2028 \\u007f", "café 😀"]' },
		{ name: 'lone surrogates are written as \\uXXXX escapes (lowercase hex)', inputJson: '["\\ud800", "x\\udfffy"]' },
		{ name: 'members whose value is undefined are left out', inputJson: '{"kept": 1, "nulled": null}', undefinedMembers: ['dropped'] },
		{ name: 'empty containers and nesting', inputJson: '{"a": {}, "b": [], "c": [{}, [[]]], "d": ""}' },
		{ name: 'a result message body', inputJson: '{"correlator":"op-0001abcd","resultCode":1200,"message":"","componentId":"com.example.clock","entry":{"stage":"deployed","componentId":"com.example.clock","version":"1.0.0","state":"Active","operational":"Stopped"},"completedAt":1767225600000}' }
	];
	return cases.map((c) => {
		const value = JSON.parse(c.inputJson) as Record<string, unknown>;
		for (const k of c.undefinedMembers ?? []) value[k] = undefined;
		const canonical = canonicalJson(value);
		return { ...c, canonical, utf8Hex: hex(utf8(canonical)) };
	});
}

function merkleTree(n: number) {
	const leaves: EnvelopeLeaf[] = deviceIds(n).map((deviceId, i) => ({ deviceId, correlators: [`op-${String(i + 1).padStart(4, '0')}a`, `op-${String(i + 1).padStart(4, '0')}b`] }));
	const bytes = leaves.map(leafBytes);
	const levels = merkleLevels(sha, bytes);
	return {
		leafCount: n,
		leaves: leaves.map((leaf, i) => ({
			leaf,
			leafJson: new TextDecoder().decode(bytes[i]),
			leafHashHex: hex(levels[0]![i]!),
			proof: merkleProof(levels, i).map(b64u)
		})),
		levelsHex: levels.map((l) => l.map(hex)),
		root: b64u(merkleRootOf(levels))
	};
}

export async function buildVectors(): Promise<Record<string, unknown>> {
	const device = ed25519('device-ed25519');
	const ma = ed25519('ma-command-signing-ed25519');
	const deviceEnc = p256('device-p256');
	const ephemeral = p256('server-ephemeral-p256');
	const contentKey = secret('content-key');
	const salt = secret('hkdf-salt');
	const iv = secret('gcm-iv').slice(0, 12);

	const keys = {
		note: 'Published test keys; never use them for anything else. Each secret is SHA-256("scomo-vectors:<name>").',
		device: { deviceId: DEVICE_ID, ed25519Seed: device.seed, publicKey: device.publicKey, encryption: deviceEnc },
		ma: { maId: MA_ID, maName: 'Acme Fleet', keyId: MA_KEY_ID, ed25519Seed: ma.seed, publicKey: ma.publicKey },
		origin: ORIGIN
	};

	// ---- device authentication and enrollment proof
	const nonce = B64(secret('auth-nonce'));
	const authMessage = deviceAuthMessage(nonce, DEVICE_ID, ORIGIN);
	const code = 'ENROLL-CODE-0001';
	const proofMessage = enrollProofMessage(code, device.publicKey);

	// ---- the trust statement
	const statement: TrustStatement = {
		v: 1,
		maId: MA_ID,
		seq: 1,
		issuedAt: 1767225600000,
		keys: [{ keyId: MA_KEY_ID, publicKey: ma.publicKey, validUntil: null }],
		policy: { kinds: ['Remove'], fanout: 1000 },
		credentials: [],
		rp: { rpId: 'localhost', origin: ORIGIN }
	};
	const trustText = trustMessage(statement);

	// ---- a fan-out of 3 devices: one header, signed once; our device is leaf index 0
	const bundle = utf8(bundleText);
	const bundleSha = hex(sha(bundle));
	const versionId = '01900000-0000-7000-8000-0000000000b1';
	const fanout = deviceIds(3).map((deviceId, i) => ({ deviceId, correlators: [`corr-${i + 1}-install`, `corr-${i + 1}-start`] }));
	const sortedLeaves = [...fanout].sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
	const levels = merkleLevels(sha, sortedLeaves.map(leafBytes));
	const header: BatchHeader = {
		v: 1,
		maId: MA_ID,
		maName: 'Acme Fleet',
		batchId: '01900000-0000-7000-8000-0000000000c1',
		nonce: B64(secret('batch-nonce').slice(0, 16)),
		issuedAt: 1767225600000,
		expiresAt: 1767830400000,
		consentMode: 'notify',
		intent: 'Install the clock and start it.',
		operations: [
			{
				kind: 'DownloadInstall',
				componentId: manifest.id,
				version: manifest.version,
				package: { versionId, sha256: bundleSha, size: bundle.length, manifestSha256: manifestDigest(sha, manifest) }
			},
			{ kind: 'Start', componentId: manifest.id, version: null, package: null }
		],
		root: b64u(merkleRootOf(levels)),
		leafCount: sortedLeaves.length
	};
	const index = sortedLeaves.findIndex((l) => l.deviceId === DEVICE_ID);
	const envelopeText = envelopeMessage(header);
	const envelope = {
		header,
		keyId: MA_KEY_ID,
		signature: ma.sign(utf8(envelopeText)),
		leaf: sortedLeaves[index]!,
		index,
		proof: merkleProof(levels, index).map(b64u),
		approval: null
	};
	const packageBytes = packageSignedBytes({ maId: MA_ID, componentId: manifest.id, version: manifest.version, sha256: bundleSha, size: bundle.length, manifest });
	const commandSet = {
		batchId: header.batchId,
		maId: MA_ID,
		maName: header.maName,
		consentMode: header.consentMode,
		intent: header.intent,
		issuedAt: header.issuedAt,
		expiresAt: header.expiresAt,
		operations: envelope.leaf.correlators.map((correlator, i) => {
			const op = header.operations[i]!;
			return {
				correlator,
				kind: op.kind,
				componentId: op.componentId,
				version: op.version,
				package: op.package
					? {
							versionId,
							componentId: manifest.id,
							version: manifest.version,
							sha256: bundleSha,
							size: bundle.length,
							manifest,
							signature: ma.sign(packageBytes)
						}
					: null
			};
		}),
		envelope,
		trust: { statement, signatures: [{ keyId: MA_KEY_ID, signature: ma.sign(utf8(trustText)) }] }
	};

	// ---- the device's result for the first operation
	const result = {
		correlator: 'corr-1-install',
		resultCode: 1200,
		message: '',
		componentId: manifest.id,
		entry: { stage: 'deployed', componentId: manifest.id, version: '1.0.0', state: 'Active', operational: 'Stopped' },
		completedAt: 1767225660000
	};
	const resultText = resultMessage(DEVICE_ID, result);

	// ---- the sealed package for our device
	const subtle = globalThis.crypto.subtle;
	const ephPriv = await subtle.importKey('jwk', ephemeral.jwk, { name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
	const ephPub = await subtle.importKey('raw', Buffer.from(ephemeral.publicKey, 'base64url'), { name: 'ECDH', namedCurve: 'P-256' }, true, []);
	const cek = await subtle.importKey('raw', contentKey, { name: 'AES-GCM' }, true, ['encrypt']);
	const context = { deviceId: DEVICE_ID, versionId, componentId: manifest.id, version: manifest.version, sha256: bundleSha, size: bundle.length };
	const sealed = await sealWith(bundle, Buffer.from(deviceEnc.publicKey, 'base64url'), context, {
		ephemeral: { privateKey: ephPriv, publicKey: ephPub },
		salt,
		iv,
		contentKey: cek
	});
	const magicLen = 'SCOMO-SEALED-1\n'.length;
	const headerLen = Buffer.from(sealed).readUInt32BE(magicLen);
	const headerBytes = sealed.slice(magicLen + 4, magicLen + 4 + headerLen);
	const body = sealed.slice(magicLen + 4 + headerLen);
	const shared = createECDH('prime256v1');
	shared.setPrivateKey(Buffer.from(ephemeral.jwk.d, 'base64url'));
	const sharedSecret = shared.computeSecret(Buffer.from(deviceEnc.publicKey, 'base64url'));

	return {
		'keys.json': keys,
		'canonical-json.json': { rules: 'docs/protocol.md, "Canonical JSON"', cases: canonicalCorpus() },
		'merkle.json': {
			construction: 'leaf hash = SHA-256(0x00 || leaf bytes); node hash = SHA-256(0x01 || left || right); an odd last node moves up unchanged',
			trees: [1, 2, 3, 7].map(merkleTree)
		},
		'messages.json': {
			deviceAuth: { nonce, deviceId: DEVICE_ID, origin: ORIGIN, message: authMessage, signature: device.sign(utf8(authMessage)) },
			enrollProof: { code, publicKey: device.publicKey, message: proofMessage, signature: device.sign(utf8(proofMessage)) },
			trust: { statement, message: trustText, signatures: commandSet.trust.signatures },
			command: {
				header,
				message: envelopeText,
				signature: envelope.signature,
				headerDigest: b64u(sha(utf8(canonicalJson(header)))),
				approvalChallenge: approvalChallenge(sha, header),
				manifestSha256: manifestDigest(sha, manifest),
				fanoutLeaves: sortedLeaves
			},
			packageSignature: { bytesText: new TextDecoder().decode(packageBytes), signature: commandSet.operations[0]!.package!.signature },
			result: { deviceId: DEVICE_ID, result, message: resultText, signature: device.sign(utf8(resultText)) },
			commandSet,
			// The compact form of the same set (issue #15): rebuilt by device 1 into exactly `commandSet`.
			commandSetCompact: compactSet(commandSet as CommandSetMsg, DEVICE_ID)
		},
		'sealed-package.json': {
			contentType: SEALED_CONTENT_TYPE,
			bundleText,
			bundleSha256: bundleSha,
			deviceEncryptionKey: deviceEnc,
			ephemeral,
			ecdhSharedSecretHex: hex(sharedSecret),
			hkdf: { saltB64u: B64(salt), info: 'scomo-sealed-package:v1', lengthBits: 256 },
			kekHex: hex(new Uint8Array(hkdfSync('sha256', sharedSecret, salt, utf8('scomo-sealed-package:v1'), 32))),
			contentKeyHex: hex(contentKey),
			wrappedKeyB64u: (JSON.parse(new TextDecoder().decode(headerBytes)) as { wrappedKey: string }).wrappedKey,
			ivB64u: B64(iv),
			headerLength: headerLen,
			headerText: new TextDecoder().decode(headerBytes),
			ciphertextAndTagB64u: B64(body),
			sealedB64u: B64(sealed)
		}
	};
}

const DIR = path.resolve(import.meta.dirname, '../docs/vectors');
export const vectorText = (value: unknown) => JSON.stringify(value, null, '\t') + '\n';

async function main(): Promise<number> {
	const files = await buildVectors();
	const check = process.argv.includes('--check');
	mkdirSync(DIR, { recursive: true });
	let differ = 0;
	for (const [name, value] of Object.entries(files)) {
		const file = path.join(DIR, name);
		const text = vectorText(value);
		if (check) {
			let old = '';
			try {
				old = readFileSync(file, 'utf8');
			} catch {
				/* missing counts as different */
			}
			if (old !== text) {
				console.error(`${name} differs from what the code produces`);
				differ++;
			}
		} else writeFileSync(file, text);
	}
	if (!check) console.log(`wrote ${Object.keys(files).length} files to ${path.relative(process.cwd(), DIR)}`);
	return differ ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
	main().then((code) => process.exit(code));
}
