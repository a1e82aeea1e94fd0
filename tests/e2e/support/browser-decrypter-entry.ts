/**
 * Built for the browser by browser-decrypter-bundle.ts and injected into a page: the PWA's own decrypter
 * (src/lib/device-browser/browser-decrypter.ts) over the PWA's own IndexedDB schema, under a database name of
 * the test's so the device app on the same origin is not disturbed.
 */
import { openDeviceDb } from '../../../src/lib/device-browser/db';
import { loadOrCreateDecrypter, storedEncryptionKey } from '../../../src/lib/device-browser/browser-decrypter';

const DB = 'scomo-e2e-decrypter';

/** The device's public encryption key (made and stored on first use, loaded afterwards). */
export async function publicKey(): Promise<string> {
	return (await loadOrCreateDecrypter(await openDeviceDb(DB))).publicKey;
}

/** Is the stored private key extractable? (It must not be.) */
export async function extractable(): Promise<boolean | null> {
	return (await storedEncryptionKey(await openDeviceDb(DB)))?.extractable ?? null;
}

/** Opens a sealed package with the stored key, as the runtime's package check does. */
export async function open(sealed: number[]): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
	const r = await (await loadOrCreateDecrypter(await openDeviceDb(DB))).open(new Uint8Array(sealed));
	return r.ok ? { ok: true, text: new TextDecoder().decode(r.bytes) } : { ok: false, message: r.message };
}
