import { describe, expect, it } from 'vitest';
import { describeSteps, jobSummary, progressSegments, retryPlan, rowOperations, updateTargets, upsertOp } from './ops';
import type { InventoryItemView } from '../contract/admin-protocol';
import type { OpRow } from './types';
import type { OperationStatus } from '../core/states';

let n = 0;
const op = (extra: Partial<OpRow> = {}): OpRow => ({
	id: `op-${n++}`,
	correlator: `corr-${n}`,
	batchId: 'b1',
	seq: 0,
	deviceId: 'd1',
	kind: 'DownloadInstall',
	componentId: 'com.x.clock',
	version: '1.0.0',
	consentMode: 'confirm',
	intent: '',
	status: 'queued',
	downloadStatus: null,
	resultCode: null,
	resultName: null,
	resultMessage: null,
	createdAt: 1000,
	deliveredAt: null,
	completedAt: null,
	expiresAt: 9999,
	cancelRequestedAt: null,
	...extra
});
const item = (extra: Partial<InventoryItemView>): InventoryItemView => ({
	componentId: 'com.x.clock',
	stage: 'deployed',
	version: '1.0.0',
	state: 'Active',
	operational: 'Stopped',
	updatedAt: 0,
	...extra
});

describe('upsertOp', () => {
	it('replaces by id, adds new ones newest first, and respects accept()', () => {
		const a = op({ createdAt: 1 });
		const b = op({ createdAt: 2 });
		let list = upsertOp([], a);
		list = upsertOp(list, b);
		expect(list.map((o) => o.id)).toEqual([b.id, a.id]);
		list = upsertOp(list, { ...a, status: 'completed', resultCode: 1200 });
		expect(list[1]!.status).toBe('completed');
		expect(upsertOp(list, op(), () => false)).toHaveLength(2);
	});
	it('a late or replayed event never moves an operation back', () => {
		const a = op({ status: 'completed', resultCode: 1200 });
		expect(upsertOp([a], { ...a, status: 'in-progress', resultCode: null })[0]!.status).toBe('completed');
		const b = op({ status: 'in-progress' });
		expect(upsertOp([b], { ...b, status: 'delivered' })[0]!.status).toBe('in-progress');
		expect(upsertOp([b], { ...b, status: 'in-progress', downloadStatus: 40 })[0]!.downloadStatus).toBe(40);
		expect(upsertOp([b], { ...b, status: 'failed', resultCode: 1405 })[0]!.status).toBe('failed');
	});
});

describe('rowOperations follow the core transition function', () => {
	const none = { newer: 0, older: 0 };
	it('nothing on the device: download-type operations only, install first', () =>
		expect(rowOperations(null, { newer: 1, older: 0 })).toEqual(['DownloadInstall', 'DownloadInstallInactive', 'Download']));
	it('active and stopped: Start first, Remove last', () =>
		expect(rowOperations(item({}), { newer: 1, older: 0 })).toEqual(['Start', 'Update', 'Deactivate', 'Remove']));
	it('running; no newer version means no Update', () => expect(rowOperations(item({ operational: 'Running' }), none)).toEqual(['Stop', 'Deactivate', 'Remove']));
	it('only an older version: a Downgrade, never an Update', () =>
		expect(rowOperations(item({}), { newer: 0, older: 1 })).toEqual(['Start', 'Deactivate', 'Downgrade', 'Remove']));
	it('inactive', () => expect(rowOperations(item({ state: 'Inactive' }), none)).toEqual(['Activate', 'Remove']));
	it('delivered', () =>
		expect(rowOperations(item({ stage: 'delivered', state: null, operational: null }), none)).toEqual(['DownloadInstall', 'Install', 'DownloadInstallInactive', 'InstallInactive', 'Download', 'Remove']));
});

describe('jobSummary', () => {
	it('counts per status and result name; consent waits; offline devices still queued; failures', () => {
		const ops = [
			op({ deviceId: 'd1', status: 'completed', resultCode: 1200 }),
			op({ deviceId: 'd2', status: 'failed', resultCode: 1401 }),
			op({ deviceId: 'd3', status: 'awaiting-consent' }),
			op({ deviceId: 'd4', status: 'queued' }),
			op({ deviceId: 'd5', status: 'queued' })
		];
		const s = jobSummary(ops, (id) => id === 'd5');
		expect(s.total).toBe(5);
		expect(s.finished).toBe(2);
		expect(s.devices).toBe(5);
		expect(s.byStatus).toEqual({ completed: 1, failed: 1, 'awaiting-consent': 1, queued: 2 });
		expect(s.byResult.map((r) => [r.name, r.count])).toEqual([
			['Successful', 1],
			['User cancelled', 1]
		]);
		expect(s.awaitingConsent).toEqual(['d3']);
		expect(s.offlineQueued).toEqual(['d4']);
		expect(s.failedDevices).toEqual(['d2']);
	});
});

describe('retryPlan', () => {
	it('re-runs each finished device from its first unsuccessful step; groups equal step lists', () => {
		const seq = (deviceId: string, statuses: OperationStatus[]) =>
			statuses.map((status, i) => op({ deviceId, seq: i, kind: i === 0 ? 'DownloadInstall' : 'Start', status, resultCode: status === 'completed' ? 1200 : 1405 }));
		const plan = retryPlan([
			...seq('ok', ['completed', 'completed']),
			...seq('f1', ['failed', 'failed']),
			...seq('f2', ['failed', 'failed']),
			...seq('f3', ['completed', 'failed']),
			...seq('busy', ['completed', 'in-progress'])
		]);
		expect(plan).toEqual([
			{ deviceIds: ['f1', 'f2'], steps: [{ kind: 'DownloadInstall', componentId: 'com.x.clock', version: '1.0.0' }, { kind: 'Start', componentId: 'com.x.clock', version: '1.0.0' }] },
			{ deviceIds: ['f3'], steps: [{ kind: 'Start', componentId: 'com.x.clock', version: '1.0.0' }] }
		]);
	});
	it('describes steps in order', () =>
		expect(describeSteps([op({ seq: 1, kind: 'Start', version: null }), op({ seq: 0 })])).toBe('DownloadInstall com.x.clock 1.0.0 → Start com.x.clock'));
});

describe('progressSegments', () => {
	it('splits a job by outcome: an all-failed job shows only failures', () => {
		const failed = [op({ status: 'failed', resultCode: 1402 }), op({ status: 'expired', resultCode: 1457 })];
		expect(progressSegments(failed)).toEqual({ succeeded: 0, failed: 2, running: 0, waiting: 0, total: 2 });
	});
	it('counts running and waiting apart from finished', () => {
		const ops = [op({ status: 'completed', resultCode: 1200 }), op({ status: 'in-progress' }), op({ status: 'queued' }), op({ status: 'awaiting-consent' })];
		expect(progressSegments(ops)).toEqual({ succeeded: 1, failed: 0, running: 2, waiting: 1, total: 4 });
	});
});

describe('updateTargets', () => {
	const all = ['1.0.0', '1.2.0', '1.10.0', '2.0.0-rc.1', '2.0.0'].map((version) => ({ version }));
	const versions = (installed: (string | null)[]) => updateTargets(all, installed).map((v) => v.version);

	it('offers only versions newer than what every picked device has, highest first', () => {
		expect(versions(['1.0.0'])).toEqual(['2.0.0', '2.0.0-rc.1', '1.10.0', '1.2.0']);
		// One device at 1.10.0: 1.2.0 would take it back (semver order, not text order).
		expect(versions(['1.0.0', '1.10.0'])).toEqual(['2.0.0', '2.0.0-rc.1']);
		expect(versions(['2.0.0', '1.0.0'])).toEqual([]);
	});

	it('offers every version while no installed version is known', () => {
		expect(versions([])).toEqual(['2.0.0', '2.0.0-rc.1', '1.10.0', '1.2.0', '1.0.0']);
		expect(versions([null])).toHaveLength(5);
	});
});
