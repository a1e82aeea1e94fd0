import { describe, it, expect } from 'vitest';
import { generateKeyPairSync, sign as nodeSign, createHash } from 'node:crypto';
import { packageSignedBytes, type Manifest, type PackageRefMsg } from '../contract';
import { sealPackage } from '../server/package-crypto/seal';
import { parseEncryptionKey } from '../server/package-crypto/device-encryption-key';
import { checkPackage, pinnedMaKeys, verifySignature, type PinnedKey } from './package-check';
import { generateEncryptionKeyPair, openSealedPackage } from './package-check-open';
import type { Decrypter } from './ports';

const MA = '01890000-0000-7000-8000-0000000000aa';
const manifest: Manifest = {
	id: 'com.example.clock',
	name: 'Clock',
	version: '1.0.0',
	description: 'tells the time',
	permissions: ['storage'],
	compatibleBaselines: ['*'],
	entry: 'main.js'
};
const bundle = new TextEncoder().encode('export default { start() { return "tick"; } };\n');
const sha256 = createHash('sha256').update(bundle).digest('hex');

function ed25519Key() {
	const { privateKey, publicKey } = generateKeyPairSync('ed25519');
	const pinned: PinnedKey = { algorithm: 'Ed25519', publicKey: String(publicKey.export({ format: 'jwk' }).x) };
	return { pinned, sign: (bytes: Uint8Array) => nodeSign(null, bytes, privateKey).toString('base64url') };
}

function p256Key() {
	const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
	const jwk = publicKey.export({ format: 'jwk' });
	const raw = Buffer.concat([Buffer.from([4]), Buffer.from(String(jwk.x), 'base64url'), Buffer.from(String(jwk.y), 'base64url')]);
	const pinned: PinnedKey = { algorithm: 'ECDSA-P256', publicKey: raw.toString('base64url') };
	return { pinned, sign: (bytes: Uint8Array) => nodeSign('sha256', bytes, { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url') };
}

function ref(signWith?: (b: Uint8Array) => string, m: Manifest = manifest): PackageRefMsg {
	const base = { versionId: '01890000-0000-7000-8000-0000000000bb', componentId: m.id, version: m.version, sha256, size: bundle.length, manifest: m };
	return signWith ? { ...base, signature: signWith(packageSignedBytes({ maId: MA, ...base })) } : base;
}

async function deviceDecrypter(): Promise<Decrypter & { raw: Uint8Array }> {
	const k = await generateEncryptionKeyPair(false);
	return {
		publicKey: k.publicKey,
		raw: parseEncryptionKey(k.publicKey)!,
		open: async (s) => {
			const r = await openSealedPackage(k.privateKey, s);
			return r.ok ? { ok: true, bytes: r.bytes } : r;
		}
	};
}

const seal = (d: { raw: Uint8Array }, bytes = bundle) =>
	sealPackage(bytes, d.raw, {
		deviceId: '01890000-0000-7000-8000-0000000000cc',
		versionId: '01890000-0000-7000-8000-0000000000bb',
		componentId: manifest.id,
		version: manifest.version,
		sha256,
		size: bundle.length
	});

const base = { maId: MA, decrypter: null, requireSealed: false, maKeys: [] as PinnedKey[] };

describe('checkPackage (SCOMO-SEC-03)', () => {
	it('accepts a signed package, sealed for this device, and returns the plaintext', async () => {
		const key = ed25519Key();
		const d = await deviceDecrypter();
		const r = await checkPackage({ ...base, pkg: ref(key.sign), bytes: await seal(d), decrypter: d, requireSealed: true, maKeys: [key.pinned] });
		expect(r.ok && Buffer.from(r.bytes).equals(Buffer.from(bundle))).toBe(true);
	});

	it('verifies ECDSA P-256 signatures too, and any of the pinned keys (rotation overlap)', async () => {
		const old = ed25519Key();
		const key = p256Key();
		const r = await checkPackage({ ...base, pkg: ref(key.sign), bytes: bundle, maKeys: [old.pinned, key.pinned] });
		expect(r.ok).toBe(true);
	});

	it('refuses a tampered bundle (digest), a truncated one (size) and an appended one', async () => {
		const tampered = bundle.slice();
		tampered[5]! ^= 1;
		expect(await checkPackage({ ...base, pkg: ref(), bytes: tampered })).toMatchObject({ ok: false, message: expect.stringMatching(/digest/) });
		expect(await checkPackage({ ...base, pkg: ref(), bytes: bundle.slice(0, 10) })).toMatchObject({ ok: false, message: expect.stringMatching(/bytes/) });
		expect((await checkPackage({ ...base, pkg: ref(), bytes: new Uint8Array([...bundle, 32]) })).ok).toBe(false);
	});

	it('refuses a tampered manifest: the signature no longer verifies', async () => {
		const key = ed25519Key();
		const signed = ref(key.sign);
		const pkg = { ...signed, manifest: { ...manifest, permissions: ['storage', 'camera'] as Manifest['permissions'] } };
		const r = await checkPackage({ ...base, pkg, bytes: bundle, maKeys: [key.pinned] });
		expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/signature/) });
	});

	it('refuses a package signed with another key, an unsigned one, and one signed for another MA', async () => {
		const key = ed25519Key();
		const other = ed25519Key();
		expect((await checkPackage({ ...base, pkg: ref(other.sign), bytes: bundle, maKeys: [key.pinned] })).ok).toBe(false);
		expect(await checkPackage({ ...base, pkg: ref(), bytes: bundle, maKeys: [key.pinned] })).toMatchObject({
			ok: false,
			message: expect.stringMatching(/not signed/)
		});
		const r = await checkPackage({ ...base, maId: '01890000-0000-7000-8000-0000000000dd', pkg: ref(key.sign), bytes: bundle, maKeys: [key.pinned] });
		expect(r.ok).toBe(false);
	});

	it('refuses plaintext once the device registered an encryption key (no downgrade)', async () => {
		const d = await deviceDecrypter();
		const r = await checkPackage({ ...base, pkg: ref(), bytes: bundle, decrypter: d, requireSealed: true });
		expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/not encrypted/) });
	});

	it('refuses a package sealed for another device, or a sealed one without a key', async () => {
		const d = await deviceDecrypter();
		const other = await deviceDecrypter();
		expect(await checkPackage({ ...base, pkg: ref(), bytes: await seal(other), decrypter: d, requireSealed: true })).toMatchObject({
			ok: false,
			message: expect.stringMatching(/decrypted/)
		});
		expect((await checkPackage({ ...base, pkg: ref(), bytes: await seal(d) })).ok).toBe(false);
	});

	it('a sealed package with a tampered plaintext inside is still caught by the digest', async () => {
		// Anyone can seal to the device's public key: sealing is confidentiality, the digest and signature are integrity.
		const d = await deviceDecrypter();
		const evil = new TextEncoder().encode('export default { start() { return "evil"; } };\n'.padEnd(bundle.length, ' '));
		const r = await checkPackage({ ...base, pkg: ref(), bytes: await seal(d, evil.slice(0, bundle.length)), decrypter: d, requireSealed: true });
		expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/digest/) });
	});

	it('verifySignature never throws on garbage', async () => {
		expect(await verifySignature({ algorithm: 'Ed25519', publicKey: 'AAAA' }, bundle, '!!')).toBe(false);
		expect(await verifySignature({ algorithm: 'ECDSA-P256', publicKey: '' }, bundle, '')).toBe(false);
	});
});

describe('pinnedMaKeys', () => {
	const trust = (keys: { keyId: string; publicKey: string; validUntil: number | null }[]) =>
		({ v: 1, maId: MA, seq: 1, issuedAt: 0, keys, policy: { kinds: [], fanout: 10 }, credentials: [], rp: { rpId: 'localhost', origin: 'http://localhost' } }) as const;
	const identity = (t?: ReturnType<typeof trust>) => ({
		deviceId: 'd',
		serverUrl: 'http://localhost',
		baselineBuildId: 'b',
		info: { manufacturer: 'm', model: 'm', baselineBuildId: 'b', softwareVersion: '1' },
		mas: [{ maId: MA, name: 'Acme', ...(t ? { trust: { ...t, keys: [...t.keys], policy: { ...t.policy, kinds: [] }, credentials: [] } } : {}) }]
	});

	it('are the current key and rotated keys inside their overlap; none without a pinned statement', () => {
		const id = identity(trust([
			{ keyId: 'new', publicKey: 'N', validUntil: null },
			{ keyId: 'old', publicKey: 'O', validUntil: 1000 }
		]));
		expect(pinnedMaKeys(id, MA, 999).map((k) => k.publicKey)).toEqual(['N', 'O']);
		expect(pinnedMaKeys(id, MA, 1001).map((k) => k.publicKey)).toEqual(['N']);
		expect(pinnedMaKeys(id, 'another-ma', 0)).toEqual([]);
		expect(pinnedMaKeys(identity(), MA, 0)).toEqual([]);
	});
});
