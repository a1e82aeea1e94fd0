/**
 * The PWA's encryption key (SCOMO-SEC-03): ECDH P-256 made with WebCrypto as NON-extractable, the CryptoKey
 * object itself kept in IndexedDB (store `keys`, record 'encryption', beside the Ed25519 'device' key), so
 * no script can read the private key bytes. Packages the server seals to its public key (sent at enrollment
 * as EnrollRequest.encryptionKey) are opened here with crypto.subtle.
 *
 * Wiring (device PWA): `const decrypter = await loadOrCreateDecrypter(db)`, pass `encryptionKey:
 * decrypter.publicKey` to enrollDevice() and `decrypter` to DeviceRuntime.open().
 */
import { generateEncryptionKeyPair, openSealedPackage, type Decrypter } from '../device';
import { durableTx, type DeviceDb, type StoredKey } from './db';

export const ENCRYPTION_KEY_RECORD = 'encryption' as const;

const RECORD = ENCRYPTION_KEY_RECORD;

function decrypterFrom(stored: StoredKey): Decrypter {
	return {
		publicKey: stored.publicKey,
		async open(sealed) {
			const r = await openSealedPackage(stored.privateKey, sealed);
			return r.ok ? { ok: true, bytes: r.bytes } : r;
		}
	};
}

export async function loadOrCreateDecrypter(db: DeviceDb): Promise<Decrypter> {
	const existing = await db.get('keys', RECORD);
	if (existing) return decrypterFrom(existing);
	const keys = await generateEncryptionKeyPair(false);
	const record: StoredKey = { privateKey: keys.privateKey, publicKey: keys.publicKey, createdAt: Date.now() };
	const tx = durableTx(db, 'keys');
	// add(), not put(): if another tab created the key meanwhile, this fails and we use theirs.
	try {
		await Promise.all([tx.store.add(record, RECORD), tx.done]);
	} catch {
		const winner = await db.get('keys', RECORD);
		if (winner) return decrypterFrom(winner);
		throw new Error('The encryption key could not be stored.');
	}
	return decrypterFrom(record);
}

/** The stored private key, for the self-test (checks that it is not extractable). */
export async function storedEncryptionKey(db: DeviceDb): Promise<CryptoKey | null> {
	return (await db.get('keys', RECORD))?.privateKey ?? null;
}
