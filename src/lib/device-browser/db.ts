/**
 * The device PWA's IndexedDB database (the `idb` wrapper). One database per device app; the self-test page
 * opens a separate one so it never touches the real device's data.
 *
 * Stores:
 * - state:    'identity' | 'ledger' | 'choices' — whole documents, one record each (see ports.ts: they must
 *             change atomically, so each is one put in one transaction);
 * - keys:     'device' — the non-extractable Ed25519 CryptoKey and its raw public key (structured clone keeps
 *             the key object; its private bytes never leave the browser's key store);
 * - packages: component bundles by `${componentId}@${version}`;
 * - notices:  what the user was told (SCOMO-USA-2) and what was refused on their behalf, newest last.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Identity, Ledger, Notice, UserChoice } from '../device';

export const DEVICE_DB = 'scomo-device';
const VERSION = 1;

export type StoredKey = { privateKey: CryptoKey; publicKey: string; createdAt: number };

/** A notice as the device keeps it: when it happened and whether the user has dismissed it. */
export type NoticeRecord = { id?: number; at: number; notice: Notice; read: boolean };

export interface DeviceDbSchema extends DBSchema {
	state: {
		key: 'identity' | 'ledger' | 'choices';
		value: Identity | Ledger | Record<string, UserChoice>;
	};
	keys: { key: 'device' | 'encryption'; value: StoredKey };
	packages: { key: string; value: { componentId: string; version: string; bytes: Uint8Array; storedAt: number } };
	notices: { key: number; value: NoticeRecord };
}

export type DeviceDb = IDBPDatabase<DeviceDbSchema>;

export function openDeviceDb(name = DEVICE_DB): Promise<DeviceDb> {
	return openDB<DeviceDbSchema>(name, VERSION, {
		upgrade(db) {
			if (!db.objectStoreNames.contains('state')) db.createObjectStore('state');
			if (!db.objectStoreNames.contains('keys')) db.createObjectStore('keys');
			if (!db.objectStoreNames.contains('packages')) db.createObjectStore('packages');
			if (!db.objectStoreNames.contains('notices')) db.createObjectStore('notices', { keyPath: 'id', autoIncrement: true });
		}
	});
}

/**
 * A read-write transaction with strict durability: the browser flushes it to disk before `complete`, so a
 * write that resolved survives a crash or a power cut (the StateStore contract, ports.ts).
 */
export function durableTx<S extends 'state' | 'keys' | 'packages' | 'notices'>(db: DeviceDb, store: S) {
	return db.transaction(store, 'readwrite', { durability: 'strict' });
}
