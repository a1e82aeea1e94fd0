/**
 * The PWA's device key: Ed25519 made with WebCrypto as NON-extractable, the CryptoKey object itself kept in
 * IndexedDB (structured clone), so no script — not even this app — can read the private key bytes. The raw
 * public key is exported once and stored beside it.
 */
import { generateEd25519, signerFromKey, type Signer } from '../device';
import { durableTx, type DeviceDb } from './db';

export async function loadOrCreateSigner(db: DeviceDb): Promise<Signer> {
	const stored = await db.get('keys', 'device');
	if (stored) return signerFromKey(stored.privateKey, stored.publicKey);
	const keys = await generateEd25519(false);
	const tx = durableTx(db, 'keys');
	// add(), not put(): if another tab created the key meanwhile, this fails and we use theirs.
	try {
		await Promise.all([tx.store.add({ privateKey: keys.privateKey, publicKey: keys.publicKey, createdAt: Date.now() }, 'device'), tx.done]);
	} catch {
		const winner = await db.get('keys', 'device');
		if (winner) return signerFromKey(winner.privateKey, winner.publicKey);
		throw new Error('The device key could not be stored.');
	}
	return keys.signer;
}

/** The stored private key, for the self-test (checks that it is not extractable). */
export async function storedDeviceKey(db: DeviceDb): Promise<CryptoKey | null> {
	return (await db.get('keys', 'device'))?.privateKey ?? null;
}
