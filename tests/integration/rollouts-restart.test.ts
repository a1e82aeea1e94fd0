/**
 * A rollout survives a server restart: the real server process is killed (SIGKILL) in the middle of a
 * rate-limited phase and started again on the same data and port. The scheduler's state is all in the store,
 * so the restarted server carries on: every device ends up with the component, each reached exactly once (one
 * try, one operation per device), and the phase waiting for confirmation before the kill is still waiting after it.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startServerProcess, tempDir, type ServerProcess } from '../support/server-process';
import { createMa, type CreatedMa } from '../support/admin-cli';
import { ApiClient } from '../support/api-client';
import { examplePackage, startAgent, type AgentProcess } from '../support/agent-process';
import { PATIENCE_MS } from '../support/patience';
import type { RolloutDetail, RolloutDevicePage, RolloutView } from '../../src/lib/contract/rollouts';

const CLOCK = 'com.example.clock';
const AGENTS = 5;
const ENV = { SCOMO_ROLLOUT_TICK_MS: '200' };

let dataDir: string;
let server: ServerProcess;
let ma: CreatedMa;
let api: ApiClient;
const agents: AgentProcess[] = [];

beforeAll(async () => {
	dataDir = tempDir();
	ma = createMa(dataDir, 'Acme');
	server = await startServerProcess({ dataDir, env: ENV });
	api = new ApiClient(server.url, ma.token);
	const p = examplePackage(CLOCK, '1.0.0');
	expect((await api.uploadPackage(p.manifest, p.bundle)).status).toBe(201);
	for (let i = 0; i < AGENTS; i++) {
		const code = (await api.createEnrollmentCode({ label: `r${i}` })).body.code;
		const agent = startAgent({ server: server.url, enroll: code, consent: { default: 'accept' }, args: ['--ack-timeout', '2000'] });
		await agent.waitEvent('connected');
		agents.push(agent);
	}
}, PATIENCE_MS * 2);

afterAll(async () => {
	for (const agent of agents) await agent.kill();
	await server?.kill();
});

async function waitRollout(id: string, done: (d: RolloutDetail) => boolean, what: string): Promise<RolloutDetail> {
	const until = Date.now() + PATIENCE_MS;
	for (;;) {
		const r = await api.request<RolloutDetail>('GET', `/api/v1/rollouts/${id}`);
		if (r.status === 200 && done(r.body)) return r.body;
		if (Date.now() > until) throw new Error(`rollout did not reach ${what}: ${JSON.stringify(r.body)}`);
		await new Promise((res) => setTimeout(res, 100));
	}
}

describe('a rollout across a server restart', () => {
	it('carries on from the stored state after SIGKILL: each device reached once, all succeed', async () => {
		const created = await api.request<RolloutView>('POST', '/api/v1/rollouts', {
			name: 'Clock',
			target: { kind: 'filter', filter: '' },
			steps: { operations: [{ kind: 'DownloadInstall', componentId: CLOCK }], consentMode: 'silent' },
			phases: [
				{ name: 'canary', size: { kind: 'count', count: 2 }, success: { percent: 100, then: 'pause' }, error: { count: 1, then: 'pause' }, refusal: { count: 1, then: 'pause' } },
				{ name: 'rest', size: { kind: 'rest' }, success: { percent: 100, then: 'advance' }, error: { count: 1, then: 'pause' }, refusal: { count: 1, then: 'pause' } }
			],
			// One device every two seconds: the restart lands in the middle of phase 2.
			ratePerMinute: 30
		});
		expect(created.status).toBe(201);
		const id = created.body.id;
		expect((await api.request('POST', `/api/v1/rollouts/${id}/start`)).status).toBe(200);
		await waitRollout(id, (d) => d.phases[0]!.status === 'awaiting-confirmation', 'the canary phase awaiting confirmation');

		const port = new URL(server.url).port;
		await server.kill('SIGKILL');
		server = await startServerProcess({ dataDir, env: { ...ENV, SCOMO_PORT: port } });
		api = new ApiClient(server.url, ma.token);
		// What waited for a person still waits: nothing in memory decided it.
		const after = await waitRollout(id, () => true, 'an answer');
		expect(after.rollout).toMatchObject({ status: 'running', currentPhase: 0 });
		expect(after.phases.map((p) => p.status)).toEqual(['awaiting-confirmation', 'waiting']);

		expect((await api.request('POST', `/api/v1/rollouts/${id}/resume`)).status).toBe(200);
		await waitRollout(id, (d) => d.phases[1]!.tally.succeeded + d.phases[1]!.tally.failed >= 1, 'a first device of phase 2');
		await server.kill('SIGKILL');
		server = await startServerProcess({ dataDir, env: { ...ENV, SCOMO_PORT: port } });
		api = new ApiClient(server.url, ma.token);

		const done = await waitRollout(id, (d) => d.rollout.status === 'completed', 'completion after the restart');
		expect(done.rollout.tally).toMatchObject({ total: AGENTS, succeeded: AGENTS, failed: 0, refused: 0, pending: 0 });
		const devices = await api.request<RolloutDevicePage>('GET', `/api/v1/rollouts/${id}/devices`);
		expect(devices.body.items.map((d) => d.attempts)).toEqual(Array(AGENTS).fill(1));
		// One try each, and each device's try is one operation: nothing was sent twice across the restarts.
		for (const d of devices.body.items) {
			const ops = await api.listOperations({ deviceId: d.deviceId });
			expect(ops.body.total, d.name).toBe(1);
		}
	}, PATIENCE_MS * 3);
});
