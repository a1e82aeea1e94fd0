/**
 * The agent's PackageStore: packages/<component key>/<version>.js under the data directory, written atomically.
 * The key is the owning MA's ID and the component ID (src/lib/device/component-key.ts): two MAs' same-named
 * components never share a folder.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { PackageStore } from '../src/lib/device';
import { writeFileAtomic } from './atomic-file';

// Component IDs and versions are validated by the contract; this keeps a bad one from leaving the folder anyway.
const SAFE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export class FilePackageStore implements PackageStore {
	readonly root: string;
	constructor(dataDir: string) {
		this.root = path.join(dataDir, 'packages');
	}

	private dir(componentId: string): string {
		if (!SAFE.test(componentId)) throw new Error(`unsafe component id ${componentId}`);
		return path.join(this.root, componentId);
	}
	private file(componentId: string, version: string): string {
		if (!SAFE.test(version)) throw new Error(`unsafe version ${version}`);
		return path.join(this.dir(componentId), `${version}.js`);
	}

	async put(componentId: string, version: string, bytes: Uint8Array): Promise<void> {
		await writeFileAtomic(this.file(componentId, version), bytes, 0o600);
	}
	async get(componentId: string, version: string): Promise<Uint8Array | null> {
		try {
			return new Uint8Array(await readFile(this.file(componentId, version)));
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
			throw e;
		}
	}
	async delete(componentId: string, version?: string): Promise<void> {
		const target = version === undefined ? this.dir(componentId) : this.file(componentId, version);
		await rm(target, { recursive: true, force: true });
	}
}
