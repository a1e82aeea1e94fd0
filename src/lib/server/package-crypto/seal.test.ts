import { describe, it, expect } from 'vitest';
import { generateEncryptionKeyPair, openSealedPackage, fromBase64Url } from '../../device';
import { decodeSealed, encodeSealed, isSealed } from '../../contract/sealed-package';
import { sealPackage } from './seal';
import { parseEncryptionKey } from './device-encryption-key';

const bundle = new TextEncoder().encode('export default { start() { return "secret clock"; } };\n');
const context = {
	deviceId: '01890000-0000-7000-8000-000000000001',
	versionId: '01890000-0000-7000-8000-000000000002',
	componentId: 'com.example.clock',
	version: '1.0.0',
	sha256: 'a'.repeat(64),
	size: bundle.length
};

async function device() {
	const keys = await generateEncryptionKeyPair(false);
	return { ...keys, raw: parseEncryptionKey(keys.publicKey)! };
}

describe('sealed packages (SCOMO-SEC-03)', () => {
	it('the device that holds the key opens what the server sealed for it', async () => {
		const d = await device();
		const sealed = await sealPackage(bundle, d.raw, context);
		expect(isSealed(sealed)).toBe(true);
		const opened = await openSealedPackage(d.privateKey, sealed);
		expect(opened.ok && Buffer.from(opened.bytes).equals(Buffer.from(bundle))).toBe(true);
		expect(opened.ok && opened.header).toMatchObject(context);
	});

	it('the ciphertext reveals nothing of the bundle and is new on every download', async () => {
		const d = await device();
		const a = await sealPackage(bundle, d.raw, context);
		const b = await sealPackage(bundle, d.raw, context);
		expect(Buffer.from(a).includes(Buffer.from('secret clock'))).toBe(false);
		expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
		const da = decodeSealed(a);
		const db = decodeSealed(b);
		expect(da.ok && db.ok && da.value.header.epk !== db.value.header.epk).toBe(true);
	});

	it('another device cannot open it', async () => {
		const d = await device();
		const other = await device();
		const sealed = await sealPackage(bundle, d.raw, context);
		const r = await openSealedPackage(other.privateKey, sealed);
		expect(r.ok).toBe(false);
	});

	it('a changed ciphertext, tag or header fails to open', async () => {
		const d = await device();
		const sealed = await sealPackage(bundle, d.raw, context);
		const flipped = sealed.slice();
		flipped[flipped.length - 20]! ^= 1;
		expect((await openSealedPackage(d.privateKey, flipped)).ok).toBe(false);
		// Header edit (same length): the header is the GCM additional data.
		const decoded = decodeSealed(sealed);
		if (!decoded.ok) throw new Error('decode');
		const header = new TextDecoder().decode(decoded.value.headerBytes).replace('1.0.0', '9.9.9');
		const edited = encodeSealed(new TextEncoder().encode(header), decoded.value.ciphertext);
		expect((await openSealedPackage(d.privateKey, edited)).ok).toBe(false);
		// Truncated anywhere.
		for (const n of [3, 20, 200, sealed.length - 1]) expect((await openSealedPackage(d.privateKey, sealed.slice(0, n))).ok).toBe(false);
	});

	it('accepts only real P-256 points as device encryption keys', async () => {
		const d = await device();
		expect(parseEncryptionKey(d.publicKey)).not.toBeNull();
		const raw = fromBase64Url(d.publicKey);
		raw[40]! ^= 1; // off the curve
		expect(parseEncryptionKey(Buffer.from(raw).toString('base64url'))).toBeNull();
		expect(parseEncryptionKey('')).toBeNull();
		expect(parseEncryptionKey('A'.repeat(87))).toBeNull();
		expect(parseEncryptionKey(Buffer.alloc(32, 7).toString('base64url'))).toBeNull();
	});
});
