/**
 * Staged rollouts with real agents (issue #17), through the REST API: a three-phase rollout where phase 2's
 * failures (devices on a baseline the package excludes: 1413) cross the error threshold and pause it while a
 * refusal (a user who said no: 1401) is counted apart; the fix (a version for every baseline), retry-failures
 * and resume complete it. A device outside its maintenance window gets nothing until the window opens (the
 * server's clock is moved), a device that enrolls later joins a continuous rollout, and abort withdraws a command
 * still queued for an offline device (1462).
 * The scheduler runs on its own interval and on operation results: the test only polls the REST state.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, newMa, type TestServer } from '../support/test-server';
import { examplePackage, startAgent, type AgentProcess } from '../support/agent-process';
import { PATIENCE_MS } from '../support/patience';
import { movableClock } from '../support/movable-clock';
import type { RolloutDetail, RolloutDevicePage, RolloutView } from '../../src/lib/contract/rollouts';

/** Agents in the fleet: 30 is the number; 2 shared cores start them slowly, so fewer by default. */
const AGENTS = Number(process.env.ROLLOUT_AGENTS ?? 30);
const CLOCK = 'com.example.clock';
/** Phase 2 (devices a03…a08): a03 and a04 run an old baseline (1413), a05's user refuses (1401). */
const OLD = new Set(['a03', 'a04']);
const REFUSES = new Set(['a05']);

const clock = movableClock();
let server: TestServer;
let acme: ReturnType<typeof newMa>;
const agents = new Map<string, AgentProcess>();

const label = (i: number) => `a${String(i + 1).padStart(2, '0')}`;

beforeAll(async () => {
	server = await startTestServer({ SCOMO_ROLLOUT_TICK_MS: '200' }, { clock: clock.now });
	acme = newMa(server, 'Acme');
	// 1.0.0 is built for the current baseline only: the old-baseline devices refuse to install it (1413).
	const p = examplePackage(CLOCK, '1.0.0');
	expect((await acme.api.uploadPackage({ ...p.manifest, compatibleBaselines: ['scomo-agent-node20'] }, p.bundle)).status).toBe(201);
	await Promise.all(
		Array.from({ length: AGENTS }, async (_, i) => {
			const name = label(i);
			const code = (await acme.api.createEnrollmentCode({ label: name })).body.code;
			const agent = startAgent({
				server: server.url,
				enroll: code,
				baseline: OLD.has(name) ? 'old-os-1' : 'scomo-agent-node20',
				consent: { default: REFUSES.has(name) ? 'refuse' : 'accept' }
			});
			agents.set(name, agent);
			await agent.waitEvent('connected');
		})
	);
}, PATIENCE_MS * 2);

afterAll(async () => {
	await Promise.all([...agents.values()].map((a) => a.kill()));
	await server?.close();
});

async function waitRollout(id: string, done: (d: RolloutDetail) => boolean, what: string): Promise<RolloutDetail> {
	const until = Date.now() + PATIENCE_MS;
	for (;;) {
		const r = await acme.api.request<RolloutDetail>('GET', `/api/v1/rollouts/${id}`);
		expect(r.status).toBe(200);
		if (done(r.body)) return r.body;
		if (Date.now() > until) throw new Error(`rollout did not reach ${what}: ${JSON.stringify(r.body.rollout)} ${JSON.stringify(r.body.phases)}`);
		await new Promise((res) => setTimeout(res, 100));
	}
}

const action = (id: string, a: string, body?: unknown) => acme.api.request<RolloutView>('POST', `/api/v1/rollouts/${id}/${a}`, body);

const threshold = (successPercent: number) => ({
	success: { percent: successPercent, then: 'advance' },
	error: { percent: 30, then: 'pause' },
	refusal: { percent: 50, then: 'pause' }
});

describe('a staged rollout to real agents', () => {
	it('phase 2 failures pause it, refusals are counted apart; the fix, retry and resume complete it', async () => {
		const created = await acme.api.request<RolloutView>('POST', '/api/v1/rollouts', {
			name: 'Clock everywhere',
			target: { kind: 'filter', filter: 'name == "a*"' },
			steps: { operations: [{ kind: 'DownloadInstall', componentId: CLOCK }], consentMode: 'confirm', intent: 'the clock' },
			phases: [
				{ name: 'canary', size: { kind: 'count', count: 2 }, ...threshold(100) },
				{ name: 'early', size: { kind: 'count', count: 6 }, ...threshold(80) },
				{ name: 'everyone', size: { kind: 'rest' }, ...threshold(100) }
			]
		});
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({ status: 'draft' });
		const id = created.body.id;
		expect((await acme.api.request<{ total: number }>('GET', '/api/v1/rollouts?limit=10')).body.total).toBe(1);

		expect((await action(id, 'start')).body).toMatchObject({ status: 'running' });
		const paused = await waitRollout(id, (d) => d.rollout.status === 'paused', 'the error pause');
		expect(paused.rollout.statusReason).toBe('phase 2: 2 of 6 devices failed');
		expect(paused.phases.map((p) => p.status)).toEqual(['done', 'paused', 'waiting']);
		expect(paused.phases[1]!.tally).toMatchObject({ total: 6, failed: 2, refused: 1 });
		expect(paused.phases[2]!.tally).toMatchObject({ total: AGENTS - 8, pending: AGENTS - 8 });
		// Nobody in phase 3 got anything.
		const waiting = await acme.api.request<RolloutDevicePage>('GET', `/api/v1/rollouts/${id}/devices?phase=2`);
		expect(waiting.body.items.every((d) => d.state === 'waiting' && d.operation === null)).toBe(true);
		const phase2 = await acme.api.request<RolloutDevicePage>('GET', `/api/v1/rollouts/${id}/devices?phase=1`);
		const byName = new Map(phase2.body.items.map((d) => [d.name, d]));
		expect(byName.get('a03')).toMatchObject({ state: 'failed', lastResultCode: 1413 });
		expect(byName.get('a05')).toMatchObject({ state: 'refused', lastResultCode: 1401 });

		// The fix: a version every baseline may install. Retry the failures, resume: the phase accepts its refusal.
		const p = examplePackage(CLOCK, '1.1.0');
		expect((await acme.api.uploadPackage({ ...p.manifest, compatibleBaselines: ['*'] }, p.bundle)).status).toBe(201);
		expect((await action(id, 'retry-failures')).status).toBe(200);
		expect((await action(id, 'resume', { note: 'fixed: 1.1.0 for every baseline' })).body).toMatchObject({ status: 'running' });
		const done = await waitRollout(id, (d) => d.rollout.status === 'completed', 'completion');
		expect(done.rollout.tally).toMatchObject({ total: AGENTS, succeeded: AGENTS - 1, refused: 1, failed: 0, pending: 0 });
		expect(done.phases.map((x) => x.status)).toEqual(['done', 'done', 'done']);
		const timeline = done.timeline.map((t) => `${t.action}:${t.outcome}`);
		for (const step of ['rollout.start:scheduled', 'rollout.phase:pause', 'rollout.retry-failures:ok', 'rollout.resume:running', 'rollout.complete:completed']) {
			expect(timeline).toContain(step);
		}
	});

	it('a device outside its maintenance window gets nothing until the window opens', async () => {
		// A daily one-hour window starting two hours from now (UTC): closed now.
		const opensAt = new Date(clock.now());
		opensAt.setUTCHours(opensAt.getUTCHours() + 2, 0, 0, 0);
		const created = await acme.api.request<RolloutView>('POST', '/api/v1/rollouts', {
			name: 'Inventory in the window',
			target: { kind: 'filter', filter: 'name == a01' },
			steps: { operations: [{ kind: 'Inventory' }], consentMode: 'silent' },
			phases: [{ name: 'all', size: { kind: 'rest' }, ...threshold(100) }],
			windows: [{ cron: `0 ${opensAt.getUTCHours()} * * *`, durationMinutes: 60, timeZone: 'UTC' }]
		});
		const id = created.body.id;
		expect((await action(id, 'start')).body).toMatchObject({ status: 'running' });
		// Several ticks pass (one every 200 ms); the device stays waiting, with no operation.
		for (let i = 0; i < 10; i++) {
			await new Promise((res) => setTimeout(res, 100));
			const devs = await acme.api.request<RolloutDevicePage>('GET', `/api/v1/rollouts/${id}/devices`);
			expect(devs.body.items).toEqual([expect.objectContaining({ name: 'a01', state: 'waiting', operation: null })]);
		}
		clock.advance(opensAt.getTime() - clock.now() + 60_000);
		const done = await waitRollout(id, (d) => d.rollout.status === 'completed', 'completion inside the window');
		expect(done.rollout.tally).toMatchObject({ total: 1, succeeded: 1 });
		clock.reset();
	});

	it('continuous: a device that enrolls later joins the rollout and gets it', async () => {
		const created = await acme.api.request<RolloutView>('POST', '/api/v1/rollouts', {
			name: 'Late joiners',
			target: { kind: 'filter', filter: 'name == "late*"' },
			mode: 'continuous',
			steps: { operations: [{ kind: 'DownloadInstall', componentId: CLOCK }], consentMode: 'silent' },
			phases: [{ name: 'all', size: { kind: 'rest' }, ...threshold(100) }]
		});
		const id = created.body.id;
		expect((await action(id, 'start')).body).toMatchObject({ status: 'running' });
		const code = (await acme.api.createEnrollmentCode({ label: 'late1' })).body.code;
		const late = startAgent({ server: server.url, enroll: code, consent: { default: 'accept' } });
		agents.set('late1', late);
		await late.waitEvent('connected');
		const d = await waitRollout(id, (x) => x.rollout.tally.succeeded === 1, 'the late device to get it');
		expect(d.rollout).toMatchObject({ status: 'running', tally: { total: 1, succeeded: 1 } });
		expect(d.timeline.map((t) => t.action)).toContain('rollout.join');
		expect((await action(id, 'abort')).body).toMatchObject({ status: 'aborted' });
	});

	it('abort withdraws a command still queued for an offline device (1462)', async () => {
		const last = label(AGENTS - 1);
		await agents.get(last)!.kill();
		const created = await acme.api.request<RolloutView>('POST', '/api/v1/rollouts', {
			name: 'Inventory of the last one',
			target: { kind: 'filter', filter: `name == ${last}` },
			steps: { operations: [{ kind: 'Inventory' }], consentMode: 'silent' },
			phases: [{ name: 'all', size: { kind: 'rest' }, ...threshold(100) }]
		});
		const id = created.body.id;
		await action(id, 'start');
		const until = Date.now() + PATIENCE_MS;
		let correlator: string | null = null;
		while (!correlator) {
			const devs = await acme.api.request<RolloutDevicePage>('GET', `/api/v1/rollouts/${id}/devices`);
			correlator = devs.body.items[0]?.state === 'delivered' ? devs.body.items[0].correlator : null;
			if (Date.now() > until) throw new Error('the rollout never handed out its command');
			await new Promise((res) => setTimeout(res, 100));
		}
		expect((await acme.api.getOperation(correlator)).body).toMatchObject({ status: 'queued' });
		expect((await action(id, 'abort', { note: 'not needed' })).body).toMatchObject({ status: 'aborted', statusReason: 'not needed' });
		expect((await acme.api.getOperation(correlator)).body).toMatchObject({ status: 'cancelled', resultCode: 1462 });
		const after = await waitRollout(id, (d) => d.rollout.tally.pending === 0, 'the withdrawn device');
		expect(after.rollout.status).toBe('aborted');
		expect((await action(id, 'resume')).status).toBe(409);
	});

	it('another MA’s rollout is not found, like a missing one', async () => {
		const other = newMa(server, 'Other');
		const mine = (await acme.api.request<{ items: RolloutView[] }>('GET', '/api/v1/rollouts')).body.items[0]!;
		expect((await other.api.request('GET', `/api/v1/rollouts/${mine.id}`)).status).toBe(404);
		expect((await other.api.request('POST', `/api/v1/rollouts/${mine.id}/abort`)).status).toBe(404);
		expect((await other.api.request<{ total: number }>('GET', '/api/v1/rollouts')).body.total).toBe(0);
	});
});
