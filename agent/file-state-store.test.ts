import { describe, it, expect } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileStateStore } from './file-state-store';
import { FilePackageStore } from './file-package-store';
import type { Ledger } from '../src/lib/device';

const dir = () => mkdtempSync(path.join(tmpdir(), 'scomo-state-'));

describe('FileStateStore', () => {
	it('starts empty and round-trips identity, ledger and choices, leaving no temporary files', async () => {
		const d = dir();
		const store = new FileStateStore(d);
		expect(await store.readIdentity()).toBeNull();
		expect(await store.readLedger()).toEqual({ inventory: [], journal: [], results: {} });
		expect(await store.readChoices()).toEqual({});
		const identity = {
			deviceId: '0190a000-0000-7000-8000-000000000009',
			serverUrl: 'http://localhost:3000',
			baselineBuildId: 'b1',
			info: { manufacturer: 'M', model: 'X', baselineBuildId: 'b1', softwareVersion: '1' },
			mas: [{ maId: 'm', name: 'Acme' }]
		};
		const ledger: Ledger = {
			inventory: [],
			journal: [],
			results: { 'corr-0001': { maId: 'm', acked: false, result: { correlator: 'corr-0001', resultCode: 1200, message: '', componentId: null, entry: null, completedAt: 1 } } }
		};
		await store.writeIdentity(identity);
		await store.writeLedger(ledger);
		await store.writeChoices({ m: 'block' });
		const reopened = new FileStateStore(d);
		expect(await reopened.readIdentity()).toEqual(identity);
		expect(await reopened.readLedger()).toEqual(ledger);
		expect(await reopened.readChoices()).toEqual({ m: 'block' });
		expect(readdirSync(d).filter((f) => f.endsWith('.tmp'))).toEqual([]);
	});

	it('a corrupt ledger is an error, never silently an empty device', async () => {
		const d = dir();
		writeFileSync(path.join(d, 'ledger.json'), '{"inventory": [');
		await expect(new FileStateStore(d).readLedger()).rejects.toThrow();
	});
});

describe('FilePackageStore', () => {
	it('stores bundles per component and version, deletes one version or all', async () => {
		const store = new FilePackageStore(dir());
		const bytes = new TextEncoder().encode('scomo.log(1)');
		await store.put('com.example.clock', '1.0.0', bytes);
		await store.put('com.example.clock', '1.1.0', bytes);
		expect(await store.get('com.example.clock', '1.0.0')).toEqual(bytes);
		await store.delete('com.example.clock', '1.0.0');
		expect(await store.get('com.example.clock', '1.0.0')).toBeNull();
		expect(await store.get('com.example.clock', '1.1.0')).toEqual(bytes);
		await store.delete('com.example.clock');
		expect(await store.get('com.example.clock', '1.1.0')).toBeNull();
		await store.delete('com.example.absent');
	});

	it('refuses names that would leave its folder', async () => {
		const store = new FilePackageStore(dir());
		await expect(store.put('../evil', '1.0.0', new Uint8Array())).rejects.toThrow('unsafe');
		await expect(store.get('com.example.clock', '../../x')).rejects.toThrow('unsafe');
	});
});
