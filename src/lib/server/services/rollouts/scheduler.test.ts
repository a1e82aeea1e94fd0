/**
 * The rollout scheduler over a fake clock and a real SQLite store (services/test-harness.ts): devices answer
 * through the operations service as the device namespace would, and each test drives tick() itself.
 */
import { describe, it, expect } from 'vitest';
import { serviceHarness } from '../test-harness';
import { createServices } from '../index';
import { createLogger } from '../../logger';
import { loadSecrets } from '../../secrets';
import * as opsRepo from '../../db/repos/operations';
import type { RolloutDeviceView } from '../../../contract/rollouts';
import { randomBytes } from 'node:crypto';
import { insertAdmin, insertMembership, insertPasskey } from '../../auth/accounts';
import { newId } from '../../ids';
import { SoftAuthenticator } from '../../../../../tests/support/soft-authenticator';

const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');

/** An owner with a passkey: the MA's trust statement then names a credential, so high-risk work needs approval. */
function ownerWithPasskey(h: Harness, maId: string) {
	const authenticator = new SoftAuthenticator(h.config.origin);
	authenticator.register({ challenge: b64u(randomBytes(32)), rp: { id: 'localhost' }, user: { id: b64u(randomBytes(16)) } });
	const cred = authenticator.credentials[0]!;
	const adminId = newId();
	insertAdmin(h.db, { id: adminId, displayName: 'Owner', userHandle: cred.userHandle }, h.time.now);
	insertPasskey(h.db, adminId, { id: b64u(cred.id), publicKey: b64u(cred.cosePublicKey), counter: 0, transports: [], deviceType: 'singleDevice', backedUp: false }, 'key', h.time.now);
	insertMembership(h.db, adminId, maId, 'owner', h.time.now);
	h.services.signing.trust.invalidate(maId);
	return { adminId, authenticator, actor: { type: 'admin' as const, id: adminId } };
}

type Harness = ReturnType<typeof serviceHarness>;
const APP = 'com.acme.app';
const MIN = 60_000;

const phase = (name: string, size: object, over: object = {}) => ({
	name,
	size,
	success: { percent: 100, then: 'advance' },
	error: { percent: 30, then: 'pause' },
	refusal: { percent: 50, then: 'pause' },
	...over
});

function setup(n: number) {
	const h = serviceHarness();
	const { maId, deviceId } = h.maWithDevice();
	const ids = [deviceId, ...Array.from({ length: n - 1 }, () => h.enrollDevice(maId).deviceId)];
	h.upload(maId, APP, '1.0.0');
	return { h, maId, ids };
}

function newRollout(h: Harness, maId: string, over: Record<string, unknown> = {}) {
	const r = h.services.rollouts.create(maId, h.system, {
		name: 'App 1.0',
		target: { kind: 'filter', filter: '' },
		steps: { operations: [{ kind: 'DownloadInstall', componentId: APP }], consentMode: 'silent' },
		phases: [phase('canary', { kind: 'count', count: 2 }), phase('rest', { kind: 'rest' })],
		...over
	});
	if (!r.ok) throw new Error(r.error.message);
	return r.value.id;
}

const devicesOf = (h: Harness, maId: string, id: string): RolloutDeviceView[] => {
	const p = h.services.rollouts.devices(maId, id, { limit: 1000 });
	if (!p.ok) throw new Error(p.error.message);
	return p.value.items;
};
const detail = (h: Harness, maId: string, id: string) => {
	const d = h.services.rollouts.get(maId, id);
	if (!d.ok) throw new Error(d.error.message);
	return d.value;
};
const states = (h: Harness, maId: string, id: string) => devicesOf(h, maId, id).map((d) => `${d.phaseIdx}:${d.state}`);

/** Every delivered device of the rollout answers: `code(deviceIndex)` picks its result code. */
async function answer(h: Harness, maId: string, id: string, code: (d: RolloutDeviceView) => number | null) {
	for (const d of devicesOf(h, maId, id).filter((x) => x.state === 'delivered')) {
		const c = code(d);
		if (c === null) continue; // this device stays silent
		const entry = c === 1200 ? { stage: 'deployed' as const, componentId: APP, version: '1.0.0', state: 'Active' as const, operational: 'Stopped' as const } : null;
		const r = await h.services.operations.recordResult(d.deviceId, { correlator: d.correlator!, resultCode: c, message: '', componentId: APP, entry, completedAt: 1 });
		if (!r.ok) throw new Error(r.error.message);
	}
}

describe('rollout scheduler', () => {
	it('runs phase by phase in one batch per tick, advances on success, completes', async () => {
		const { h, maId, ids } = setup(5);
		const id = newRollout(h, maId);
		expect(h.services.rollouts.start(maId, h.system, id)).toMatchObject({ ok: true, value: { status: 'running' } });
		h.services.rolloutScheduler.tick();
		const first = devicesOf(h, maId, id).filter((d) => d.state === 'delivered');
		expect(first).toHaveLength(2); // the canary phase only
		expect(new Set(first.map((d) => d.batchId)).size).toBe(1); // one batch, signed once
		h.services.rolloutScheduler.tick(); // idempotent: nothing more while the canaries are out
		expect(opsRepo.listOperationsOfBatch(h.db, first[0]!.batchId!)).toHaveLength(2);
		expect(devicesOf(h, maId, id).filter((d) => d.state === 'delivered')).toHaveLength(2);

		await answer(h, maId, id, () => 1200);
		h.services.rolloutScheduler.tick();
		expect(detail(h, maId, id).rollout.currentPhase).toBe(1);
		expect(states(h, maId, id).filter((s) => s === '1:delivered')).toHaveLength(3);
		await answer(h, maId, id, () => 1200);
		h.services.rolloutScheduler.tick();
		const d = detail(h, maId, id);
		expect(d.rollout).toMatchObject({ status: 'completed', tally: { total: 5, succeeded: 5, failed: 0, refused: 0, pending: 0 } });
		expect(d.phases.map((p) => p.status)).toEqual(['done', 'done']);
		expect(d.timeline.map((t) => `${t.action} ${t.outcome}`)).toEqual(
			expect.arrayContaining(['rollout.create ok', 'rollout.start scheduled', 'rollout.activate running', 'rollout.phase advance', 'rollout.complete completed'])
		);
		expect(ids).toHaveLength(5);
	});

	it('pauses on the error threshold, counts refusals apart; retry-failures then resume completes', async () => {
		const { h, maId } = setup(12);
		const id = newRollout(h, maId, {
			phases: [phase('one', { kind: 'count', count: 2 }), phase('two', { kind: 'count', count: 6 }, { success: { percent: 50, then: 'advance' } }), phase('three', { kind: 'rest' })]
		});
		h.services.rollouts.start(maId, h.system, id);
		h.services.rolloutScheduler.tick();
		await answer(h, maId, id, () => 1200);
		h.services.rolloutScheduler.tick();
		// Phase two: 2 refuse (1401), 2 fail (1413), 2 succeed: refusals 33 % < 50 %, failures 33 % ≥ 30 % → pause.
		let i = 0;
		await answer(h, maId, id, () => [1401, 1401, 1413, 1413, 1200, 1200][i++]!);
		h.services.rolloutScheduler.tick();
		let d = detail(h, maId, id);
		expect(d.rollout).toMatchObject({ status: 'paused', statusReason: 'phase 2: 2 of 6 devices failed' });
		expect(d.phases[1]).toMatchObject({ status: 'paused', tally: { succeeded: 2, failed: 2, refused: 2, pending: 0 } });
		h.services.rolloutScheduler.tick(); // paused: nothing starts
		expect(states(h, maId, id).filter((s) => s.startsWith('2:'))).toEqual(['2:waiting', '2:waiting', '2:waiting', '2:waiting']);

		expect(h.services.rollouts.retryFailures(maId, h.system, id).ok).toBe(true);
		expect(h.services.rollouts.resume(maId, h.system, id)).toMatchObject({ ok: true, value: { status: 'running' } });
		h.services.rolloutScheduler.tick();
		const retried = devicesOf(h, maId, id).filter((x) => x.state === 'delivered');
		expect(retried.map((x) => x.attempts)).toEqual([2, 2]);
		await answer(h, maId, id, () => 1200);
		h.services.rolloutScheduler.tick(); // phase two: 4 of 6 succeeded, refusals stay refusals → advance
		await answer(h, maId, id, () => 1200);
		h.services.rolloutScheduler.tick();
		d = detail(h, maId, id);
		expect(d.rollout).toMatchObject({ status: 'completed', tally: { succeeded: 10, refused: 2, failed: 0 } });
	});

	it('a phase whose bar says pause waits for confirmation; resume confirms it and the next phase starts', async () => {
		const { h, maId } = setup(3);
		const id = newRollout(h, maId, {
			phases: [phase('canary', { kind: 'count', count: 1 }, { success: { percent: 100, then: 'pause' } }), phase('rest', { kind: 'rest' })]
		});
		h.services.rollouts.start(maId, h.system, id);
		h.services.rolloutScheduler.tick();
		await answer(h, maId, id, () => 1200);
		h.services.rolloutScheduler.tick();
		h.services.rolloutScheduler.tick(); // waiting for a person: nothing more happens
		let d = detail(h, maId, id);
		expect(d.rollout).toMatchObject({ status: 'running', currentPhase: 0, statusReason: 'phase 1 waits for confirmation' });
		expect(d.phases.map((p) => p.status)).toEqual(['awaiting-confirmation', 'waiting']);
		expect(states(h, maId, id).filter((x) => x.startsWith('1:'))).toEqual(['1:waiting', '1:waiting']);
		// Paused meanwhile: the first resume resumes, the next confirms.
		h.services.rollouts.pause(maId, h.system, id);
		expect(h.services.rollouts.resume(maId, h.system, id)).toMatchObject({ ok: true, value: { status: 'running', currentPhase: 0 } });
		expect(h.services.rollouts.resume(maId, h.system, id)).toMatchObject({ ok: true, value: { status: 'running', currentPhase: 1 } });
		h.services.rolloutScheduler.tick();
		expect(states(h, maId, id).filter((x) => x.startsWith('1:'))).toEqual(['1:delivered', '1:delivered']);
		d = detail(h, maId, id);
		expect(d.timeline.map((t) => `${t.action} ${t.outcome}`)).toEqual(expect.arrayContaining(['rollout.phase await-confirmation', 'rollout.phase confirm']));
		expect(h.services.rollouts.resume(maId, h.system, id)).toMatchObject({ ok: false, error: { code: 'conflict' } });
	});

	it('a closed window sends nothing until it opens; the rate spaces starts', async () => {
		const { h, maId } = setup(4);
		// 2026-…: the harness clock; a window every day at 02:00 UTC for an hour.
		h.time.now = Date.parse('2027-01-15T12:00:00Z');
		const id = newRollout(h, maId, {
			phases: [phase('all', { kind: 'rest' })],
			windows: [{ cron: '0 2 * * *', durationMinutes: 60, timeZone: 'UTC' }],
			ratePerMinute: 2
		});
		h.services.rollouts.start(maId, h.system, id);
		h.services.rolloutScheduler.tick();
		expect(states(h, maId, id)).toEqual(['0:waiting', '0:waiting', '0:waiting', '0:waiting']);
		h.time.now = Date.parse('2027-01-16T02:00:00Z');
		h.services.rolloutScheduler.tick();
		expect(states(h, maId, id).filter((s) => s === '0:delivered')).toHaveLength(1);
		h.time.now += 10_000;
		h.services.rolloutScheduler.tick();
		expect(states(h, maId, id).filter((s) => s === '0:delivered')).toHaveLength(1); // 30 s apart at 2/min
		h.time.now += 20_000;
		h.services.rolloutScheduler.tick();
		expect(states(h, maId, id).filter((s) => s === '0:delivered')).toHaveLength(2);
		h.time.now = Date.parse('2027-01-16T03:00:00Z'); // window closed again
		h.services.rolloutScheduler.tick();
		expect(states(h, maId, id).filter((s) => s === '0:delivered')).toHaveLength(2);
	});

	it('retries a failure after its backoff; a silent device times out and is retried', async () => {
		const { h, maId } = setup(2);
		const id = newRollout(h, maId, {
			phases: [phase('all', { kind: 'rest' }, { error: { percent: 100, then: 'pause' } })],
			retry: { count: 1, firstDelayMs: MIN, maxDelayMs: MIN },
			inProgressTimeoutMs: 5 * MIN
		});
		h.services.rollouts.start(maId, h.system, id);
		h.services.rolloutScheduler.tick();
		const [a, b] = devicesOf(h, maId, id);
		await answer(h, maId, id, (d) => (d.deviceId === a!.deviceId ? 1413 : null));
		h.services.rolloutScheduler.tick();
		let devs = devicesOf(h, maId, id);
		expect(devs.find((d) => d.deviceId === a!.deviceId)).toMatchObject({ state: 'failed', lastResultCode: 1413, nextAttemptAt: h.time.now + MIN });
		expect(detail(h, maId, id).phases[0]!.tally).toMatchObject({ failed: 0, pending: 2 }); // a retry ahead is not final
		h.time.now += MIN;
		h.services.rolloutScheduler.tick();
		expect(devicesOf(h, maId, id).find((d) => d.deviceId === a!.deviceId)).toMatchObject({ state: 'delivered', attempts: 2 });
		h.time.now += 4 * MIN; // b never answered: five minutes after its start it has timed out, and is retried once
		h.services.rolloutScheduler.tick();
		devs = devicesOf(h, maId, id);
		expect(devs.find((d) => d.deviceId === b!.deviceId)).toMatchObject({ state: 'failed', attempts: 1 });
		h.time.now += MIN;
		h.services.rolloutScheduler.tick();
		expect(devicesOf(h, maId, id).find((d) => d.deviceId === b!.deviceId)).toMatchObject({ state: 'delivered', attempts: 2 });
	});

	it('continuous: a device that matches later joins the last phase and gets it', async () => {
		const { h, maId } = setup(2);
		const id = newRollout(h, maId, { mode: 'continuous', phases: [phase('all', { kind: 'rest' })] });
		h.services.rollouts.start(maId, h.system, id);
		h.services.rolloutScheduler.tick();
		await answer(h, maId, id, () => 1200);
		h.services.rolloutScheduler.tick();
		expect(detail(h, maId, id).rollout).toMatchObject({ status: 'running', tally: { succeeded: 2 } });
		const late = h.enrollDevice(maId).deviceId;
		h.time.now += 10_000;
		h.services.rolloutScheduler.tick();
		expect(devicesOf(h, maId, id).find((d) => d.deviceId === late)).toMatchObject({ state: 'delivered', phaseIdx: 0 });
	});

	it('abort withdraws waiting devices and cancels queued commands (1462)', async () => {
		const { h, maId } = setup(4);
		const id = newRollout(h, maId);
		h.services.rollouts.start(maId, h.system, id);
		h.services.rolloutScheduler.tick();
		const out = devicesOf(h, maId, id).filter((d) => d.state === 'delivered');
		expect(h.services.rollouts.abort(maId, h.system, id, 'wrong build')).toMatchObject({ ok: true, value: { status: 'aborted', statusReason: 'wrong build' } });
		for (const d of out) expect(h.services.operations.get(maId, d.correlator!)).toMatchObject({ value: { status: 'cancelled', resultCode: 1462 } });
		h.services.rolloutScheduler.tick();
		expect(states(h, maId, id).sort()).toEqual(['0:withdrawn', '0:withdrawn', '1:withdrawn', '1:withdrawn']);
		expect(h.services.rollouts.resume(maId, h.system, id)).toMatchObject({ ok: false, error: { code: 'conflict' } });
	});

	it.each([
		['withdraw', 'cancelled'],
		['let-finish', 'queued']
	] as const)('at its end time (%s) the rollout ends: waiting devices withdrawn, sent commands %s', async (endBehavior, sent) => {
		const { h, maId } = setup(4);
		const id = newRollout(h, maId, { schedule: { startAt: h.time.now + MIN, endAt: h.time.now + 10 * MIN, endBehavior } });
		expect(h.services.rollouts.start(maId, h.system, id)).toMatchObject({ ok: true, value: { status: 'scheduled' } });
		h.services.rolloutScheduler.tick();
		expect(devicesOf(h, maId, id)).toEqual([]); // not before its start time
		h.time.now += MIN;
		h.services.rolloutScheduler.tick();
		const out = devicesOf(h, maId, id).filter((d) => d.state === 'delivered');
		expect(out).toHaveLength(2);
		h.time.now += 9 * MIN;
		h.services.rolloutScheduler.tick();
		expect(detail(h, maId, id).rollout).toMatchObject({ status: 'ended' });
		expect(states(h, maId, id).filter((x) => x.startsWith('1:'))).toEqual(['1:withdrawn', '1:withdrawn']);
		for (const d of out) expect(h.services.operations.get(maId, d.correlator!)).toMatchObject({ value: { status: sent } });
		if (endBehavior === 'let-finish') {
			// Let finish: the devices under way still report, and their results count.
			await answer(h, maId, id, () => 1200);
			h.services.rolloutScheduler.tick();
			expect(detail(h, maId, id).rollout.tally).toMatchObject({ succeeded: 2, pending: 0 });
		}
	});

	it('survives a restart: a new process over the same store carries on from the stored state', async () => {
		const { h, maId } = setup(3);
		const id = newRollout(h, maId);
		h.services.rollouts.start(maId, h.system, id);
		h.services.rolloutScheduler.tick();
		await answer(h, maId, id, () => 1200);
		// A second set of services over the same database: nothing in memory carries over.
		const again = createServices({
			db: h.store.db,
			config: () => h.config,
			log: createLogger('silent'),
			events: h.events,
			secrets: loadSecrets(h.dataDir),
			clock: () => h.time.now,
			relay: () => h.relay
		});
		again.rolloutScheduler.tick();
		again.rolloutScheduler.tick();
		expect(devicesOf(h, maId, id).filter((d) => d.state === 'delivered')).toHaveLength(1);
		expect(detail(h, maId, id).rollout.currentPhase).toBe(1);
	});

	it('a high-risk rollout waits for a passkey approval of its definition; then every batch carries it and relays at once', async () => {
		const { h, maId } = setup(3);
		const owner = ownerWithPasskey(h, maId);
		const id = newRollout(h, maId, { steps: { operations: [{ kind: 'Remove', componentId: APP }], consentMode: 'silent' } });
		expect(h.services.rollouts.start(maId, h.system, id)).toMatchObject({ ok: true, value: { status: 'awaiting-approval' } });
		h.services.rolloutScheduler.tick();
		expect(devicesOf(h, maId, id)).toEqual([]);
		// The owner's passkey signs the challenge the options name: the digest of the rollout's definition.
		const opts = h.services.rollouts.approvalOptions(maId, owner.adminId, id);
		if (!opts.ok) throw new Error(opts.error.message);
		// An assertion over anything else (here: another challenge) is refused and changes nothing.
		const wrong = owner.authenticator.assert({ challenge: b64u(randomBytes(32)), rpId: 'localhost' });
		expect(await h.services.rollouts.approve(maId, owner.actor, id, wrong)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
		const assertion = owner.authenticator.assert({ challenge: opts.value.challenge, rpId: 'localhost' });
		const approved = await h.services.rollouts.approve(maId, owner.actor, id, assertion);
		expect(approved).toMatchObject({ ok: true, value: { status: 'running', approvedBy: owner.adminId } });
		expect(states(h, maId, id)).toEqual(['0:waiting', '0:waiting', '1:waiting']);
		h.services.rolloutScheduler.tick();
		expect(states(h, maId, id)).toEqual(['0:delivered', '0:delivered', '1:waiting']);
		// The phase's batch is signed with the rollout's definition and approval: approved, not held pending.
		const batchId = devicesOf(h, maId, id)[0]!.batchId!;
		const signed = h.services.signing.batchEnvelope(batchId);
		expect(signed?.row.approval).toBe('approved');
		expect(signed?.header.rollout).toMatchObject({ rolloutId: id, maId, consentMode: 'silent' });
		expect(h.services.signing.approvals.pending(maId)).toEqual([]);
	});

	it('a group target that does not exist pauses the rollout with why', () => {
		const { h, maId } = setup(1);
		const id = newRollout(h, maId, { target: { kind: 'group', groupId: '0190a0a0-0000-7000-8000-000000000000' } });
		expect(h.services.rollouts.start(maId, h.system, id)).toMatchObject({ ok: true, value: { status: 'paused', statusReason: 'group not found' } });
	});

	it('refuses a filter that does not parse, pointing at where', () => {
		const { h, maId } = setup(1);
		const r = h.services.rollouts.create(maId, h.system, {
			name: 'x',
			target: { kind: 'filter', filter: 'tag ==' },
			steps: { operations: [{ kind: 'Inventory' }], consentMode: 'silent' },
			phases: [phase('all', { kind: 'rest' })]
		});
		expect(r).toMatchObject({ ok: false, error: { code: 'invalid_request', issues: [{ path: 'target.filter' }] } });
	});
});
