/**
 * Web-standard crypto for the device runtime: base64url, SHA-256 and Ed25519 through
 * globalThis.crypto.subtle, so the same code runs in Node 20 (the agent) and in Chromium (the PWA).
 */
import type { Signer } from './ports';

const encoder = new TextEncoder();

export function toBase64Url(bytes: Uint8Array): string {
	let binary = '';
	for (const b of bytes) binary += String.fromCharCode(b);
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
	const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
	const binary = atob(b64);
	const out = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
	return out;
}

/** Lowercase hex SHA-256, the form the server stores with every package version (SCOMO-SEC-03). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
	const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
	return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A signer over an Ed25519 private CryptoKey; the public key is the raw 32 bytes, base64url. */
export function signerFromKey(privateKey: CryptoKey, publicKey: string): Signer {
	return {
		publicKey,
		async sign(message: string) {
			const sig = await crypto.subtle.sign({ name: 'Ed25519' }, privateKey, encoder.encode(message));
			return toBase64Url(new Uint8Array(sig));
		}
	};
}

export type GeneratedKeys = { signer: Signer; privateKey: CryptoKey; publicKey: string };

/**
 * A new Ed25519 key pair. `extractable` is true only where the private key must be written to a file
 * (the agent); the PWA keeps a non-extractable key in IndexedDB.
 */
export async function generateEd25519(extractable: boolean): Promise<GeneratedKeys> {
	const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, extractable, ['sign', 'verify'])) as CryptoKeyPair;
	const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
	const publicKey = toBase64Url(raw);
	return { signer: signerFromKey(pair.privateKey, publicKey), privateKey: pair.privateKey, publicKey };
}

/** Checks an Ed25519 signature; used by the tests (and later by command verification, SCOMO-SEC-01). */
export async function verifyEd25519(publicKey: string, message: string, signature: string): Promise<boolean> {
	const key = await crypto.subtle.importKey('raw', fromBase64Url(publicKey) as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, [
		'verify'
	]);
	return crypto.subtle.verify(
		{ name: 'Ed25519' },
		key,
		fromBase64Url(signature) as Uint8Array<ArrayBuffer>,
		encoder.encode(message)
	);
}
