/**
 * The PWA's PackageStore: component bundles in IndexedDB, one record per component version
 * (Inventory/Delivered and Deployed content). Written durably: the executor records "delivered" only after
 * put() resolved.
 */
import type { PackageStore } from '../device';
import { durableTx, type DeviceDb } from './db';

const key = (componentId: string, version: string) => `${componentId}@${version}`;

export class IndexedDbPackageStore implements PackageStore {
	constructor(private readonly db: DeviceDb) {}

	async put(componentId: string, version: string, bytes: Uint8Array): Promise<void> {
		const tx = durableTx(this.db, 'packages');
		await Promise.all([tx.store.put({ componentId, version, bytes: bytes.slice(), storedAt: Date.now() }, key(componentId, version)), tx.done]);
	}

	async get(componentId: string, version: string): Promise<Uint8Array | null> {
		return (await this.db.get('packages', key(componentId, version)))?.bytes ?? null;
	}

	async delete(componentId: string, version?: string): Promise<void> {
		const tx = durableTx(this.db, 'packages');
		if (version !== undefined) {
			await Promise.all([tx.store.delete(key(componentId, version)), tx.done]);
			return;
		}
		// Every version: keys `${componentId}@...` sort together, so one key range covers them.
		const range = IDBKeyRange.bound(`${componentId}@`, `${componentId}@\uffff`);
		await Promise.all([tx.store.delete(range), tx.done]);
	}

	/** The versions stored for a component (the self-test and the home page's storage view). */
	async versions(componentId: string): Promise<string[]> {
		const range = IDBKeyRange.bound(`${componentId}@`, `${componentId}@\uffff`);
		return (await this.db.getAllKeys('packages', range)).map((k) => k.slice(componentId.length + 1));
	}
}
