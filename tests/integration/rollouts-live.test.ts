/**
 * A console watches a rollout live: the administrator's console, connected to /admin with its session cookie,
 * receives `rollout` events ({ rollout, phases }) as the rollout runs, down to the completed one with its
 * per-phase tallies, so a page can draw the progress bar without reloading.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { cookieHeader, ownerFromSetupLink, postJson, type Jar } from '../support/admin-http';
import { examplePackage, startAgent, type AgentProcess } from '../support/agent-process';
import { adminEventLog } from '../support/admin-live';
import { PATIENCE_MS } from '../support/patience';
import { ADMIN_NAMESPACE, type ServerToAdminEvents } from '../../src/lib/contract/admin-protocol';
import type { RolloutPhaseView, RolloutView } from '../../src/lib/contract/rollouts';

const CLOCK = 'com.example.clock';

let s: ServerProcess;
let jar: Jar;
let agent: AgentProcess;
let socket: Socket<ServerToAdminEvents>;
let live: ReturnType<typeof adminEventLog>;

async function post<T>(pathName: string, body: unknown): Promise<{ status: number; body: T }> {
	const res = await postJson(s.url, pathName, body, jar);
	return { status: res.status, body: (await res.json()) as T };
}

beforeAll(async () => {
	s = await startServerProcess({ env: { SCOMO_ROLLOUT_TICK_MS: '200' } });
	await s.waitForOutput(/setup link/);
	const link = readFileSync(path.join(s.dataDir, 'setup-link.txt'), 'utf8').trim();
	({ jar } = await ownerFromSetupLink(s.url, new URL(link).pathname + new URL(link).search, 'Live MA'));
	const p = examplePackage(CLOCK, '1.0.0');
	expect((await post('/api/v1/packages', { manifest: p.manifest, bundle: p.bundle })).status).toBe(201);

	socket = io(`${s.url}${ADMIN_NAMESPACE}`, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie: cookieHeader(jar), origin: s.url } });
	live = adminEventLog(socket);
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', () => resolve());
		socket.once('connect_error', reject);
	});
	const code = await post<{ code: string }>('/api/v1/enrollment-codes', { label: 'kiosk' });
	agent = startAgent({ server: s.url, enroll: code.body.code, consent: { default: 'accept' } });
	await agent.waitEvent('connected');
}, PATIENCE_MS);

afterAll(async () => {
	socket?.disconnect();
	await agent?.kill();
	await s?.kill();
});

describe('rollouts live in the console', () => {
	it('sends `rollout` events as it runs, ending with the completed rollout and its phase tallies', async () => {
		const created = await post<RolloutView>('/api/v1/rollouts', {
			name: 'Clock',
			target: { kind: 'filter', filter: '' },
			steps: { operations: [{ kind: 'DownloadInstall', componentId: CLOCK }], consentMode: 'silent' },
			phases: [{ name: 'all', size: { kind: 'rest' }, success: { percent: 100, then: 'advance' }, error: { count: 1, then: 'pause' }, refusal: { count: 1, then: 'pause' } }]
		});
		expect(created.status).toBe(201);
		const id = created.body.id;
		expect((await post<RolloutView>(`/api/v1/rollouts/${id}/start`, {})).status).toBe(200);
		type Live = { rollout: RolloutView; phases: RolloutPhaseView[] };
		const completed = await live.waitFor(
			(e) => e.event === 'rollout' && (e.payload as Live).rollout.id === id && (e.payload as Live).rollout.status === 'completed',
			'the completed rollout'
		);
		expect((completed.payload as Live).phases).toEqual([expect.objectContaining({ name: 'all', status: 'done', tally: { total: 1, succeeded: 1, failed: 0, refused: 0, pending: 0 } })]);
		// It was seen running before it completed.
		expect(live.received.some((e) => e.event === 'rollout' && (e.payload as Live).rollout.status === 'running')).toBe(true);
	});
});
