/**
 * SCOMO-SEC-03 in Chromium: a package sealed by the server (src/lib/server/package-crypto/seal.ts) opens in the
 * browser with the PWA's own decrypter (src/lib/device-browser/browser-decrypter.ts, built by Vite and run in
 * the page): its NON-extractable ECDH P-256 key is made once, kept in IndexedDB across a reload, and a changed
 * byte fails.
 */
import { test, expect, type Page } from '@playwright/test';
import { sealPackage } from '../../src/lib/server/package-crypto/seal';
import { browserDecrypterScript } from './support/browser-decrypter-bundle';

const BUNDLE = 'export default {}; scomo.log("sealed for this browser");\n';

type DecrypterApi = {
	publicKey(): Promise<string>;
	extractable(): Promise<boolean | null>;
	open(sealed: number[]): Promise<{ ok: true; text: string } | { ok: false; message: string }>;
};
declare const scomoDecrypter: DecrypterApi;

/** A same-origin page (not the device app, which keeps its own keys) with the product's decrypter loaded. */
async function withDecrypter(page: Page, script: string) {
	await page.goto('/healthz');
	await page.addScriptTag({ content: script });
}

test('a package sealed by the server opens in Chromium with the PWA’s non-extractable key from IndexedDB, and only unaltered', async ({ page }) => {
	const script = await browserDecrypterScript();
	await withDecrypter(page, script);
	const publicKey = await page.evaluate(() => scomoDecrypter.publicKey());
	expect(await page.evaluate(() => scomoDecrypter.extractable())).toBe(false);

	const sealed = await sealPackage(new TextEncoder().encode(BUNDLE), new Uint8Array(Buffer.from(publicKey, 'base64url')), {
		deviceId: '01890000-0000-7000-8000-000000000001',
		versionId: '01890000-0000-7000-8000-000000000002',
		componentId: 'com.example.sealed',
		version: '1.0.0',
		sha256: 'c'.repeat(64),
		size: BUNDLE.length
	});
	const tampered = sealed.slice();
	tampered[tampered.length - 5]! ^= 1;

	// A reload: nothing in memory survives; the key comes back from IndexedDB, the same one.
	await page.reload();
	await page.addScriptTag({ content: script });
	expect(await page.evaluate(() => scomoDecrypter.publicKey())).toBe(publicKey);
	expect(await page.evaluate(() => scomoDecrypter.extractable())).toBe(false);
	expect(await page.evaluate((bytes) => scomoDecrypter.open(bytes), Array.from(sealed))).toEqual({ ok: true, text: BUNDLE });
	const refused = await page.evaluate((bytes) => scomoDecrypter.open(bytes), Array.from(tampered));
	expect(refused.ok).toBe(false);
});
