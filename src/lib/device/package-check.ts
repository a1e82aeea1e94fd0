/**
 * The device's package check (SCOMO-SEC-03), run by the executor's verify step before anything is stored:
 *  1. a sealed download is opened with the device's encryption key; once the device registered an encryption
 *     key, a plaintext download is refused (no downgrade). Sealing gives confidentiality only: anyone can seal
 *     to a public key, so authenticity comes from the next two checks;
 *  2. size and SHA-256 digest of the bundle must match the PackageRef;
 *  3. the MA's signature over owner + manifest + digest + size (packageSignedBytes) must verify with a key the
 *     device pinned for that MA.
 * Any failure is a value; the executor reports 1407 (failed package validation) and stores nothing.
 */
import { isSealed, packageSignedBytes, type PackageRefMsg } from '../contract';
import { fromBase64Url, sha256Hex } from './crypto';
import type { Decrypter, Identity } from './ports';

/** A public key the device pinned for an MA (command and package signatures). */
export type PinnedKey = { publicKey: string; algorithm: 'Ed25519' | 'ECDSA-P256' };

/** What the executor needs for the check, from the runtime (identity + adapters). */
export type PackageKeys = {
	decrypter: Decrypter | null;
	requireSealed(): boolean;
	maKeys(maId: string): readonly PinnedKey[];
};

export type PackageCheckInput = {
	maId: string;
	pkg: PackageRefMsg;
	/** The bytes as downloaded. */
	bytes: Uint8Array;
	decrypter: Decrypter | null;
	/** True once the server holds this device's encryption key: plaintext is then refused. */
	requireSealed: boolean;
	/** The MA's pinned keys (several during a key rotation's overlap). */
	maKeys: readonly PinnedKey[];
};

export type PackageCheck = { ok: true; bytes: Uint8Array } | { ok: false; message: string };

const fail = (message: string): PackageCheck => ({ ok: false, message });
const buf = (u: Uint8Array) => u as Uint8Array<ArrayBuffer>;

export async function checkPackage(x: PackageCheckInput): Promise<PackageCheck> {
	const { pkg } = x;
	let bytes = x.bytes;
	if (isSealed(bytes)) {
		if (!x.decrypter) return fail('The package is encrypted and this device has no encryption key; nothing was stored.');
		const opened = await x.decrypter.open(bytes);
		if (!opened.ok) return fail(`The package could not be decrypted: ${opened.message}; nothing was stored.`);
		bytes = opened.bytes;
	} else if (x.requireSealed) {
		return fail('The package was not encrypted for this device; nothing was stored.');
	}
	if (bytes.length !== pkg.size) return fail(`The package has ${bytes.length} bytes, ${pkg.size} were announced; nothing was stored.`);
	if ((await sha256Hex(bytes)) !== pkg.sha256) return fail('The package digest does not match; nothing was stored.');
	if (x.maKeys.length > 0) {
		if (!pkg.signature) return fail('The package is not signed by its Management Authority; nothing was stored.');
		const message = packageSignedBytes({ maId: x.maId, ...pick(pkg) });
		if (!(await verifiesWithAny(x.maKeys, message, pkg.signature))) {
			return fail('The package signature does not verify with the Management Authority’s key; nothing was stored.');
		}
	}
	return { ok: true, bytes };
}

const pick = (p: PackageRefMsg) => ({
	componentId: p.componentId,
	version: p.version,
	sha256: p.sha256,
	size: p.size,
	manifest: p.manifest
});

async function verifiesWithAny(keys: readonly PinnedKey[], message: Uint8Array, signature: string): Promise<boolean> {
	for (const k of keys) if (await verifySignature(k, message, signature)) return true;
	return false;
}

/** Ed25519, or ECDSA P-256 with SHA-256 (raw public point, IEEE P1363 r||s signature), as WebCrypto has them. */
export async function verifySignature(key: PinnedKey, message: Uint8Array, signature: string): Promise<boolean> {
	try {
		const raw = buf(fromBase64Url(key.publicKey));
		const sig = buf(fromBase64Url(signature));
		if (key.algorithm === 'Ed25519') {
			const k = await crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
			return await crypto.subtle.verify({ name: 'Ed25519' }, k, sig, buf(message));
		}
		const k = await crypto.subtle.importKey('raw', raw, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
		return await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, k, sig, buf(message));
	} catch {
		return false;
	}
}

/**
 * The keys the device pinned for an MA (Identity.mas[].trust, security helper A's trust statement: pinned at
 * enrollment, renewed only through statements signed by a key it already trusted). A key counts while it is
 * current or inside its rotation overlap, as for commands. No statement pinned: no key, digest only.
 */
export function pinnedMaKeys(identity: Identity, maId: string, now: number): PinnedKey[] {
	const trust = identity.mas.find((m) => m.maId === maId)?.trust;
	if (!trust || trust.maId !== maId) return [];
	return trust.keys
		.filter((k) => k.validUntil === null || now <= k.validUntil)
		.map((k) => ({ publicKey: k.publicKey, algorithm: 'Ed25519' as const }));
}
