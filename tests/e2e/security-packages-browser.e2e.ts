/**
 * SCOMO-SEC-03 in Chromium: a package sealed by the server (src/lib/server/package-crypto/seal.ts) opens in the
 * browser with a NON-extractable ECDH P-256 key kept in IndexedDB across a reload — the same WebCrypto steps as
 * src/lib/device/package-check-open.ts, which the PWA's browser-decrypter.ts uses — and a changed byte fails.
 */
import { test, expect } from '@playwright/test';
import { sealPackage } from '../../src/lib/server/package-crypto/seal';

const BUNDLE = 'export default {}; scomo.log("sealed for this browser");\n';

test('a package sealed by the server opens in Chromium with a non-extractable key from IndexedDB, and only unaltered', async ({ page }) => {
	await page.goto('/device');
	const publicKey = await page.evaluate(async () => {
		const pair = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits'])) as CryptoKeyPair;
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const r = indexedDB.open('scomo-sealed-test', 1);
			r.onupgradeneeded = () => r.result.createObjectStore('keys');
			r.onsuccess = () => resolve(r.result);
			r.onerror = () => reject(r.error);
		});
		await new Promise<void>((resolve, reject) => {
			const tx = db.transaction('keys', 'readwrite');
			tx.objectStore('keys').put(pair.privateKey, 'encryption');
			tx.oncomplete = () => resolve();
			tx.onerror = () => reject(tx.error);
		});
		const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
		return Array.from(raw);
	});

	const sealed = await sealPackage(new TextEncoder().encode(BUNDLE), new Uint8Array(publicKey), {
		deviceId: '01890000-0000-7000-8000-000000000001',
		versionId: '01890000-0000-7000-8000-000000000002',
		componentId: 'com.example.sealed',
		version: '1.0.0',
		sha256: 'c'.repeat(64),
		size: BUNDLE.length
	});
	const tampered = sealed.slice();
	tampered[tampered.length - 5]! ^= 1;

	await page.reload();
	const result = await page.evaluate(
		async ({ sealed, tampered }) => {
			const db = await new Promise<IDBDatabase>((resolve, reject) => {
				const r = indexedDB.open('scomo-sealed-test', 1);
				r.onsuccess = () => resolve(r.result);
				r.onerror = () => reject(r.error);
			});
			const privateKey = await new Promise<CryptoKey>((resolve, reject) => {
				const r = db.transaction('keys').objectStore('keys').get('encryption');
				r.onsuccess = () => resolve(r.result as CryptoKey);
				r.onerror = () => reject(r.error);
			});
			const b64 = (s: string) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4)), (c) => c.charCodeAt(0));
			async function open(bytes: Uint8Array): Promise<string | null> {
				const magic = 'SCOMO-SEALED-1\n'.length;
				const len = new DataView(bytes.buffer).getUint32(magic, false);
				const headerBytes = bytes.slice(magic + 4, magic + 4 + len);
				const h = JSON.parse(new TextDecoder().decode(headerBytes)) as Record<string, string>;
				try {
					const epk = await crypto.subtle.importKey('raw', b64(h.epk!), { name: 'ECDH', namedCurve: 'P-256' }, false, []);
					const shared = await crypto.subtle.deriveBits({ name: 'ECDH', public: epk }, privateKey, 256);
					const hkdf = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
					const kek = await crypto.subtle.deriveKey(
						{ name: 'HKDF', hash: 'SHA-256', salt: b64(h.salt!), info: new TextEncoder().encode('scomo-sealed-package:v1') },
						hkdf,
						{ name: 'AES-KW', length: 256 },
						false,
						['unwrapKey']
					);
					const cek = await crypto.subtle.unwrapKey('raw', b64(h.wrappedKey!), kek, 'AES-KW', { name: 'AES-GCM' }, false, ['decrypt']);
					const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: b64(h.iv!), additionalData: headerBytes }, cek, bytes.slice(magic + 4 + len));
					return new TextDecoder().decode(plain);
				} catch {
					return null;
				}
			}
			return {
				extractable: privateKey.extractable,
				opened: await open(new Uint8Array(sealed)),
				tampered: await open(new Uint8Array(tampered))
			};
		},
		{ sealed: Array.from(sealed), tampered: Array.from(tampered) }
	);
	expect(result.extractable).toBe(false);
	expect(result.opened).toBe(BUNDLE);
	expect(result.tampered).toBeNull();
});
