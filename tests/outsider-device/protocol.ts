/**
 * An outsider's implementation of the SCOMO Relay wire formats, written from docs/protocol.md and the
 * vectors in docs/vectors only: canonical JSON, the signed messages, the Merkle proof, the sealed package.
 * It imports nothing from the product (tests/integration/outsider-device.test.ts checks that), so it proves
 * that the documents are enough to build a device.
 */
import { createHash, createPublicKey, verify, webcrypto } from 'node:crypto';

export const sha256 = (bytes: Uint8Array): Buffer => createHash('sha256').update(bytes).digest();
export const b64u = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
export const unb64u = (text: string): Buffer => Buffer.from(text, 'base64url');

/** docs/protocol.md "Canonical JSON": sorted keys (UTF-16 code units), no whitespace, undefined members dropped. */
export function canonical(value: unknown): string {
	if (value === null) return 'null';
	if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new TypeError('not a JSON number');
		return JSON.stringify(value);
	}
	if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonical(v))).join(',')}]`;
	if (typeof value === 'object') {
		const obj = value as Record<string, unknown>;
		const keys = Object.keys(obj)
			.filter((k) => obj[k] !== undefined)
			.sort();
		return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`).join(',')}}`;
	}
	throw new TypeError(`cannot encode ${typeof value}`);
}

export const ed25519Verify = (publicKeyB64u: string, message: string | Uint8Array, signatureB64u: string): boolean => {
	try {
		const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKeyB64u }, format: 'jwk' });
		return verify(null, typeof message === 'string' ? Buffer.from(message, 'utf8') : message, key, unb64u(signatureB64u));
	} catch {
		return false;
	}
};

/** RFC 6962 style: leaf = H(0x00 || bytes), node = H(0x01 || left || right); proof siblings bottom-up; odd last node moves up. */
export function merkleVerify(leaf: Uint8Array, index: number, count: number, proof: string[], rootB64u: string): boolean {
	let h = sha256(Buffer.concat([Buffer.from([0]), leaf]));
	let i = index;
	let n = count;
	let k = 0;
	while (n > 1) {
		if (i % 2 === 1) {
			if (k >= proof.length) return false;
			h = sha256(Buffer.concat([Buffer.from([1]), unb64u(proof[k++]!), h]));
		} else if (i + 1 < n) {
			if (k >= proof.length) return false;
			h = sha256(Buffer.concat([Buffer.from([1]), h, unb64u(proof[k++]!)]));
		}
		i = Math.floor(i / 2);
		n = Math.ceil(n / 2);
	}
	return k === proof.length && b64u(h) === rootB64u;
}

export const leafJson = (deviceId: string, correlators: string[]) => canonical({ c: correlators, d: deviceId });
export const commandMessage = (header: unknown) => `scomo-command:v1:${canonical(header)}`;
export const trustMessage = (statement: unknown) => `scomo-trust:v1:${canonical(statement)}`;
export const authMessage = (nonce: string, deviceId: string, origin: string) => `scomo-device-auth:v1:${nonce}:${deviceId}:${origin}`;
export const enrollMessage = (code: string, publicKey: string) => `scomo-enroll:v1:${code}:${publicKey}`;
export const packageMessage = (p: { maId: string; componentId: string; version: string; sha256: string; size: number; manifest: unknown }) =>
	`scomo-package:v1\n${canonical({ maId: p.maId, componentId: p.componentId, version: p.version, sha256: p.sha256, size: p.size, manifest: p.manifest })}`;
export function resultMessage(deviceId: string, result: Record<string, unknown>): string {
	const { signature: _omit, ...rest } = result;
	return `scomo-result:v1:${deviceId}:${canonical(rest)}`;
}

const MAGIC = Buffer.from('SCOMO-SEALED-1\n', 'utf8');

/** docs/protocol.md "Sealed packages": MAGIC | u32 BE header length | header JSON (= GCM AAD) | ciphertext || 16-byte tag. */
export async function openSealed(
	deviceKey: webcrypto.CryptoKey,
	sealed: Uint8Array
): Promise<{ header: Record<string, unknown>; bundle: Buffer }> {
	const bytes = Buffer.from(sealed);
	if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a sealed package');
	const length = bytes.readUInt32BE(MAGIC.length);
	const headerBytes = bytes.subarray(MAGIC.length + 4, MAGIC.length + 4 + length);
	const body = bytes.subarray(MAGIC.length + 4 + length);
	const header = JSON.parse(headerBytes.toString('utf8')) as Record<string, string | number>;
	if (header.v !== 1 || header.alg !== 'ECDH-ES+HKDF-SHA256+A256KW/A256GCM') throw new Error('unknown sealed package version');
	const subtle = webcrypto.subtle;
	const epk = await subtle.importKey('raw', unb64u(String(header.epk)), { name: 'ECDH', namedCurve: 'P-256' }, false, []);
	const shared = await subtle.deriveBits({ name: 'ECDH', public: epk }, deviceKey, 256);
	const hkdf = await subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
	const kek = await subtle.deriveKey(
		{ name: 'HKDF', hash: 'SHA-256', salt: unb64u(String(header.salt)), info: Buffer.from('scomo-sealed-package:v1', 'utf8') },
		hkdf,
		{ name: 'AES-KW', length: 256 },
		false,
		['unwrapKey']
	);
	const cek = await subtle.unwrapKey('raw', unb64u(String(header.wrappedKey)), kek, 'AES-KW', { name: 'AES-GCM' }, false, ['decrypt']);
	const plain = await subtle.decrypt({ name: 'AES-GCM', iv: unb64u(String(header.iv)), additionalData: headerBytes, tagLength: 128 }, cek, body);
	return { header, bundle: Buffer.from(plain) };
}
