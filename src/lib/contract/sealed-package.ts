/**
 * SCOMO-SEC-03 on the wire: what the MA signs for a package, and the container a bundle travels in when it
 * is encrypted for one device. Pure data layout, no crypto: the server seals (src/lib/server/package-crypto),
 * the device opens and checks (src/lib/device/package-check*.ts), both with WebCrypto-compatible algorithms.
 */
import * as v from 'valibot';
import { Base64Url, ComponentId, Id, Sha256Hex, Version } from './common';
import type { Manifest } from './manifest';
// One canonical encoding for everything signed (the command envelopes use the same one).
import { canonicalJson } from '../core/envelope-canonical';

// ---------- the package signature ----------

/** What the MA's signature covers: the owner, the manifest and the bundle's digest and size (SCOMO-SEC-03). */
export type SignedPackage = {
	maId: string;
	componentId: string;
	version: string;
	sha256: string;
	size: number;
	manifest: Manifest;
};

/** The exact bytes the MA signs for a package version, and the device verifies. */
export function packageSignedBytes(p: SignedPackage): Uint8Array {
	const body = canonicalJson({
		maId: p.maId,
		componentId: p.componentId,
		version: p.version,
		sha256: p.sha256,
		size: p.size,
		manifest: p.manifest
	});
	return new TextEncoder().encode(`scomo-package:v1\n${body}`);
}

// ---------- the sealed (encrypted) bundle ----------

/**
 * A bundle encrypted for one device:
 *   MAGIC | u32 big-endian header length | header (UTF-8 JSON) | AES-256-GCM ciphertext with its 16-byte tag
 * The content key is fresh per download and wrapped (AES-KW, RFC 3394) under a key derived with HKDF-SHA-256
 * from ECDH P-256 between a fresh server key (epk) and the device's static encryption key. The header is the
 * GCM additional data, so none of it can be changed without the decryption failing.
 */
export const SEALED_MAGIC = 'SCOMO-SEALED-1\n';
export const SEALED_ALG = 'ECDH-ES+HKDF-SHA256+A256KW/A256GCM';
/** HKDF info: binds the derived key to this use. */
export const SEALED_HKDF_INFO = 'scomo-sealed-package:v1';
export const SEALED_CONTENT_TYPE = 'application/vnd.scomo.sealed-package';
/** Largest header accepted when opening (a defence against nonsense lengths). */
export const SEALED_MAX_HEADER = 4096;

export const SealedHeader = v.strictObject({
	v: v.literal(1),
	alg: v.literal(SEALED_ALG),
	/** The server's ephemeral ECDH public key: raw uncompressed P-256 point (65 bytes), base64url. */
	epk: Base64Url(128),
	/** HKDF salt (32 random bytes). */
	salt: Base64Url(64),
	/** The AES-256-GCM content key wrapped with AES-KW (40 bytes). */
	wrappedKey: Base64Url(64),
	/** GCM nonce (12 bytes). */
	iv: Base64Url(32),
	deviceId: Id,
	versionId: Id,
	componentId: ComponentId,
	version: Version,
	/** Digest and size of the plaintext bundle, as in the PackageRef. */
	sha256: Sha256Hex,
	size: v.pipe(v.number(), v.integer(), v.minValue(0))
});
export type SealedHeaderMsg = v.InferOutput<typeof SealedHeader>;

const magicBytes = () => new TextEncoder().encode(SEALED_MAGIC);

/** Whether the bytes start like a sealed package (anything else is a plaintext bundle). */
export function isSealed(bytes: Uint8Array): boolean {
	const m = magicBytes();
	if (bytes.length < m.length) return false;
	for (let i = 0; i < m.length; i++) if (bytes[i] !== m[i]) return false;
	return true;
}

/** Lays out a sealed package; `headerBytes` must be the same bytes that were the GCM additional data. */
export function encodeSealed(headerBytes: Uint8Array, ciphertext: Uint8Array): Uint8Array {
	const m = magicBytes();
	const out = new Uint8Array(m.length + 4 + headerBytes.length + ciphertext.length);
	out.set(m, 0);
	new DataView(out.buffer).setUint32(m.length, headerBytes.length, false);
	out.set(headerBytes, m.length + 4);
	out.set(ciphertext, m.length + 4 + headerBytes.length);
	return out;
}

export type DecodedSealed = { header: SealedHeaderMsg; headerBytes: Uint8Array; ciphertext: Uint8Array };

/** Splits a sealed package; errors as values (a malformed one is a failed package validation, 1407). */
export function decodeSealed(bytes: Uint8Array): { ok: true; value: DecodedSealed } | { ok: false; message: string } {
	if (!isSealed(bytes)) return { ok: false, message: 'not a sealed package' };
	const m = magicBytes().length;
	if (bytes.length < m + 4) return { ok: false, message: 'the sealed package is truncated' };
	const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(m, false);
	if (len > SEALED_MAX_HEADER || bytes.length < m + 4 + len + 16) return { ok: false, message: 'the sealed package is truncated' };
	const headerBytes = bytes.slice(m + 4, m + 4 + len);
	let json: unknown;
	try {
		json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
	} catch {
		return { ok: false, message: 'the sealed package header is not JSON' };
	}
	const parsed = v.safeParse(SealedHeader, json);
	if (!parsed.success) return { ok: false, message: 'the sealed package header is not valid' };
	return { ok: true, value: { header: parsed.output, headerBytes, ciphertext: bytes.slice(m + 4 + len) } };
}
