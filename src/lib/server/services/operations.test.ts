import { describe, it, expect } from 'vitest';
import { serviceHarness, settle } from './test-harness';
import * as opsRepo from '../db/repos/operations';

const entry = (version: string) => ({
	stage: 'deployed' as const,
	componentId: 'com.acme.app',
	version,
	state: 'Active' as const,
	operational: 'Stopped' as const
});

type Harness = ReturnType<typeof serviceHarness>;

/** One operation of `kind` for one device of the MA, as an API client would create it; returns it. */
function createOne(h: Harness, maId: string, deviceId: string, kind: 'DownloadInstall' | 'Start' | 'Inventory', consentMode: 'silent' | 'confirm' = 'silent') {
	const c = h.services.operations.create(maId, h.system, {
		deviceIds: [deviceId],
		operations: [kind === 'Inventory' ? { kind } : { kind, componentId: 'com.acme.app' }],
		consentMode,
		intent: ''
	});
	if (!c.ok) throw new Error(c.error.message);
	return c.value.operations[0]!;
}

describe('operations service', () => {
	it('persists every row before relaying, then marks the accepted ones delivered', async () => {
		const h = serviceHarness();
		const { maId, deviceId } = h.maWithDevice();
		h.upload(maId, 'com.acme.app', '1.0.0');
		h.relay.online.add(deviceId);
		let persistedAtRelay: string[] = [];
		h.relay.onSend = (_d, set) => {
			persistedAtRelay = set.operations.map((o) => opsRepo.getOperationByCorrelator(h.db, o.correlator)?.status ?? 'missing');
		};
		const r = h.services.operations.create(maId, h.system, {
			deviceIds: [deviceId],
			operations: [{ kind: 'DownloadInstall', componentId: 'com.acme.app' }, { kind: 'Start', componentId: 'com.acme.app' }],
			consentMode: 'confirm',
			intent: 'try it'
		});
		expect(r.ok).toBe(true);
		await settle();
		expect(persistedAtRelay).toEqual(['queued', 'queued']);
		expect(h.relay.sent).toHaveLength(1);
		const set = h.relay.sent[0]!.set;
		expect(set.operations.map((o) => o.kind)).toEqual(['DownloadInstall', 'Start']);
		expect(set.operations[0]!.package?.version).toBe('1.0.0');
		expect(set.operations[1]!.package).toBeNull();
		const views = h.services.operations.list(maId, {});
		expect(views.map((v) => v.status)).toEqual(['delivered', 'delivered']);
	});

	it('resolves the highest version when none is named', () => {
		const h = serviceHarness();
		const { maId, deviceId } = h.maWithDevice();
		h.upload(maId, 'com.acme.app', '1.9.0');
		h.upload(maId, 'com.acme.app', '1.10.0');
		h.upload(maId, 'com.acme.app', '1.2.0');
		const r = h.services.operations.create(maId, h.system, {
			deviceIds: [deviceId],
			operations: [{ kind: 'Update', componentId: 'com.acme.app' }],
			consentMode: 'silent',
			intent: ''
		});
		expect(r.ok && r.value.operations[0]!.version).toBe('1.10.0');
	});

	it('refuses another MA\'s component or device as not_found, and a disallowed consent mode as forbidden', () => {
		const h = serviceHarness();
		const a = h.maWithDevice('A');
		const b = h.maWithDevice('B');
		h.upload(a.maId, 'com.a.app', '1.0.0');
		const foreignComponent = h.services.operations.create(b.maId, h.system, {
			deviceIds: [b.deviceId],
			operations: [{ kind: 'Remove', componentId: 'com.a.app' }],
			consentMode: 'silent',
			intent: ''
		});
		expect(!foreignComponent.ok && foreignComponent.error.code).toBe('not_found');
		const foreignDevice = h.services.operations.create(a.maId, h.system, {
			deviceIds: [b.deviceId],
			operations: [{ kind: 'Inventory' }],
			consentMode: 'silent',
			intent: ''
		});
		expect(!foreignDevice.ok && foreignDevice.error.code).toBe('not_found');
		h.services.mas.updateSettings(a.maId, h.system, { allowedConsentModes: ['confirm'] });
		const silent = h.services.operations.create(a.maId, h.system, {
			deviceIds: [a.deviceId],
			operations: [{ kind: 'Inventory' }],
			consentMode: 'silent',
			intent: ''
		});
		expect(!silent.ok && silent.error.code).toBe('forbidden');
		expect(opsRepo.listOperations(h.db, { maId: a.maId, limit: 10 })).toHaveLength(0);
	});

	it('stores a result once; a repeat or late result changes nothing', async () => {
		const h = serviceHarness();
		const { maId, deviceId } = h.maWithDevice();
		h.upload(maId, 'com.acme.app', '1.0.0');
		const { correlator } = createOne(h, maId, deviceId, 'DownloadInstall');
		const msg = { correlator, resultCode: 1200, message: '', componentId: 'com.acme.app', entry: entry('1.0.0'), completedAt: 1 };
		expect(await h.services.operations.recordResult(deviceId, msg)).toEqual({ ok: true, value: { duplicate: false } });
		expect(await h.services.operations.recordResult(deviceId, { ...msg, resultCode: 1405, entry: null })).toEqual({
			ok: true,
			value: { duplicate: true }
		});
		const op = h.services.operations.get(maId, correlator);
		expect(op.ok && op.value).toMatchObject({ status: 'completed', resultCode: 1200 });
		expect(h.services.inventory.listForMa(deviceId, maId)).toEqual([expect.objectContaining({ version: '1.0.0', state: 'Active' })]);
		// Another device cannot answer for it.
		const other = h.enrollDevice(maId);
		expect(await h.services.operations.recordResult(other.deviceId, msg)).toMatchObject({ ok: false, error: { code: 'not_found' } });
	});

	it('results of one turn share a commit: two copies sent together are stored once, each answered', async () => {
		const h = serviceHarness();
		const { maId, deviceId } = h.maWithDevice();
		h.upload(maId, 'com.acme.app', '1.0.0');
		const { correlator } = createOne(h, maId, deviceId, 'DownloadInstall');
		const msg = { correlator, resultCode: 1200, message: '', componentId: 'com.acme.app', entry: entry('1.0.0'), completedAt: 1 };
		const before = h.services.writes.stats();
		const answers = await Promise.all([h.services.operations.recordResult(deviceId, msg), h.services.operations.recordResult(deviceId, msg)]);
		expect(answers).toEqual([
			{ ok: true, value: { duplicate: false } },
			{ ok: true, value: { duplicate: true } }
		]);
		expect(h.services.writes.stats()).toEqual({ groups: before.groups + 1, writes: before.writes + 2 });
		expect(h.seen['operation:updated']!.filter((u) => u.correlator === correlator && u.status === 'completed')).toHaveLength(1);
	});

	it('records progress, and a failure code ends the operation failed', async () => {
		const h = serviceHarness();
		const { maId, deviceId } = h.maWithDevice();
		h.upload(maId, 'com.acme.app', '1.0.0');
		const { correlator } = createOne(h, maId, deviceId, 'Start', 'confirm');
		await h.services.operations.recordProgress(deviceId, { correlator, phase: 'awaiting-consent' });
		expect(h.services.operations.get(maId, correlator)).toMatchObject({ value: { status: 'awaiting-consent' } });
		await h.services.operations.recordProgress(deviceId, { correlator, phase: 'in-progress', downloadStatus: 50 });
		expect(h.services.operations.get(maId, correlator)).toMatchObject({ value: { status: 'in-progress', downloadStatus: 50 } });
		await h.services.operations.recordResult(deviceId, { correlator, resultCode: 1450, message: 'inactive', componentId: 'com.acme.app', entry: null, completedAt: 1 });
		expect(h.services.operations.get(maId, correlator)).toMatchObject({ value: { status: 'failed', resultCode: 1450, resultName: 'Start failed' } });
		// Progress after the end is ignored.
		await h.services.operations.recordProgress(deviceId, { correlator, phase: 'in-progress' });
		expect(h.services.operations.get(maId, correlator)).toMatchObject({ value: { status: 'failed' } });
	});

	it('relays download bytes live without a write per tick, and keeps only the latest in memory', async () => {
		const h = serviceHarness();
		const { maId, deviceId } = h.maWithDevice();
		h.upload(maId, 'com.acme.app', '1.0.0');
		const op = createOne(h, maId, deviceId, 'DownloadInstall');
		const correlator = op.correlator;
		const updates = () => (h.seen['operation:updated'] ?? []).filter((o) => o.correlator === correlator).length;
		await h.services.operations.recordProgress(deviceId, { correlator, phase: 'in-progress', downloadStatus: 30 });
		const afterStatus = updates();
		for (const done of [0, 400, 800, 1000]) {
			h.time.now += 300;
			await h.services.operations.recordProgress(deviceId, { correlator, phase: 'in-progress', downloadStatus: 30, bytesDone: done, bytesTotal: 1000 });
		}
		// The stored status did not change: no `operation` event (nor a write) per tick.
		expect(updates()).toBe(afterStatus);
		const ticks = (h.seen['operation:progress'] ?? []).filter((p) => p.correlator === correlator);
		expect(ticks.map((p) => p.bytesDone)).toEqual([null, 0, 400, 800, 1000]);
		expect(ticks.at(-1)).toMatchObject({ id: op.id, maId, deviceId, batchId: op.batchId, downloadStatus: 30, bytesTotal: 1000 });
		expect(h.services.operations.progressOf([op.id])).toEqual([expect.objectContaining({ bytesDone: 1000, bytesTotal: 1000 })]);
		// Old news is forgotten.
		h.time.now += 11 * 60_000;
		expect(h.services.operations.progressOf([op.id])).toEqual([]);
	});

	it('expires unanswered operations with 1457 when the clock passes their deadline', () => {
		const h = serviceHarness({ SCOMO_OPERATION_TTL_SECONDS: '60' });
		const { maId, deviceId } = h.maWithDevice();
		const { correlator } = createOne(h, maId, deviceId, 'Inventory');
		h.time.now += 59_000;
		expect(h.services.operations.expireDue()).toBe(0);
		h.time.now += 1_000;
		expect(h.services.operations.expireDue()).toBe(1);
		expect(h.services.operations.get(maId, correlator)).toMatchObject({ value: { status: 'expired', resultCode: 1457 } });
		expect(h.services.operations.expireDue()).toBe(0);
		expect(h.seen['operation:updated']!.at(-1)).toMatchObject({ correlator, status: 'expired', maId });
	});

	it('cancels queued operations with 1462 only', async () => {
		const h = serviceHarness();
		const { maId, deviceId } = h.maWithDevice();
		const { correlator } = createOne(h, maId, deviceId, 'Inventory');
		await h.services.operations.recordProgress(deviceId, { correlator, phase: 'in-progress' });
		expect(h.services.operations.cancel(maId, h.system, correlator)).toMatchObject({ ok: false, error: { code: 'conflict' } });
		const queued = createOne(h, maId, deviceId, 'Inventory');
		expect(h.services.operations.cancel(maId, h.system, queued.correlator)).toMatchObject({ ok: true, value: { status: 'cancelled', resultCode: 1462 } });
	});

	it('delivers every unfinished operation on connect, batch by batch, in order', async () => {
		const h = serviceHarness();
		const { maId, deviceId } = h.maWithDevice();
		h.upload(maId, 'com.acme.app', '1.0.0');
		const first = h.services.operations.create(maId, h.system, {
			deviceIds: [deviceId],
			operations: [{ kind: 'DownloadInstall', componentId: 'com.acme.app' }, { kind: 'Start', componentId: 'com.acme.app' }],
			consentMode: 'notify',
			intent: ''
		});
		h.time.now += 1;
		h.services.operations.create(maId, h.system, { deviceIds: [deviceId], operations: [{ kind: 'Inventory' }], consentMode: 'silent', intent: '' });
		await settle();
		expect(h.relay.sent).toHaveLength(0);
		h.relay.online.add(deviceId);
		await h.services.operations.deliverOpen(deviceId);
		expect(h.relay.sent.map((s) => s.set.operations.map((o) => o.kind))).toEqual([['DownloadInstall', 'Start'], ['Inventory']]);
		expect(h.relay.sent[0]!.set.batchId).toBe(first.ok ? first.value.batchId : '');
		// Delivered but unanswered: sent again on the next connect.
		await h.services.operations.deliverOpen(deviceId);
		expect(h.relay.sent).toHaveLength(4);
	});
});
