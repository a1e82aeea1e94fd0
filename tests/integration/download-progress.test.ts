/**
 * Live download progress (issue #19): a real agent downloads a 3 MB package from the real server process,
 * reporting `progress` with bytesDone/bytesTotal as the body arrives; the administrator's console, connected
 * to /admin with its session cookie, receives them relayed as `operation:progress`, growing, ending at the
 * whole body, then the completed operation. And `inventory:changed` carries the MA's entries of the device.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { cookieHeader, ownerFromSetupLink, postJson, type Jar } from '../support/admin-http';
import { startAgent, type AgentProcess } from '../support/agent-process';
import { manifest } from '../support/test-server';
import { adminEventLog } from '../support/admin-live';
import { ADMIN_NAMESPACE, type AdminInventoryEvent, type AdminProgressEvent, type ServerToAdminEvents } from '../../src/lib/contract/admin-protocol';

const COMPONENT = 'com.example.big';
/** Large enough that the body arrives in many chunks (several ticks at 5 % each), under the 5 MB default limit. */
const SIZE = 3 * 1024 * 1024;

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
	s = await startServerProcess();
	await s.waitForOutput(/setup link/);
	const link = readFileSync(path.join(s.dataDir, 'setup-link.txt'), 'utf8').trim();
	({ jar } = await ownerFromSetupLink(s.url, new URL(link).pathname + new URL(link).search, 'Progress MA'));

	// A valid component whose bundle is mostly a comment: only its size matters here.
	const head = 'export default { start() { return "big"; } };\n//';
	const bundle = head + 'x'.repeat(SIZE - head.length);
	const up = await post<{ size: number }>('/api/v1/packages', { manifest: manifest(COMPONENT, '1.0.0'), bundle });
	expect(up.status).toBe(201);

	socket = io(`${s.url}${ADMIN_NAMESPACE}`, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie: cookieHeader(jar), origin: s.url } });
	live = adminEventLog(socket);
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', () => resolve());
		socket.once('connect_error', reject);
	});

	const code = await post<{ code: string }>('/api/v1/enrollment-codes', { label: 'progress' });
	expect(code.status).toBe(201);
	agent = startAgent({ server: s.url, enroll: code.body.code, consent: { default: 'accept' } });
	await agent.waitEvent('connected');
}, 120_000);

afterAll(async () => {
	socket?.disconnect();
	await agent?.kill();
	await s?.kill();
});

describe('live download progress', () => {
	it('the console receives the download bytes growing to the whole body, then the result and the new inventory', async () => {
		const deviceId = String(agent.events.find((e) => e.event === 'enrolled')!.deviceId);
		const created = await post<{ operations: { id: string; correlator: string }[] }>('/api/v1/operations', {
			deviceIds: [deviceId],
			operations: [{ kind: 'DownloadInstall', componentId: COMPONENT }],
			consentMode: 'silent',
			intent: 'big download'
		});
		expect(created.status).toBe(202);
		const { id, correlator } = created.body.operations[0]!;

		await live.waitFor((e) => e.event === 'operation' && (e.payload as { correlator: string; status: string }).correlator === correlator && (e.payload as { status: string }).status === 'completed', 'the completed operation', 60_000);
		const ticks = live.received
			.filter((e) => e.event === 'operation:progress')
			.map((e) => e.payload as AdminProgressEvent)
			.filter((p) => p.correlator === correlator && p.bytesDone !== null);
		expect(ticks.length, 'several progress ticks').toBeGreaterThanOrEqual(3);
		const total = ticks[0]!.bytesTotal!;
		// The body's length: the bundle, or a bit more when sealed to the agent's key.
		expect(total).toBeGreaterThanOrEqual(SIZE);
		for (const t of ticks) expect(t).toMatchObject({ id, deviceId, phase: 'in-progress', downloadStatus: 30, bytesTotal: total });
		const done = ticks.map((t) => t.bytesDone!);
		for (let i = 1; i < done.length; i++) expect(done[i]!, `tick ${i} grows`).toBeGreaterThan(done[i - 1]!);
		expect(done.at(-1)).toBe(total);
		// Every tick came before the completed operation (socket.io keeps one socket's events in order).
		const completedAt = live.received.findIndex((e) => e.event === 'operation' && (e.payload as { status: string; correlator: string }).correlator === correlator && (e.payload as { status: string }).status === 'completed');
		const lastTick = live.received.findLastIndex((e) => e.event === 'operation:progress' && (e.payload as AdminProgressEvent).correlator === correlator && (e.payload as AdminProgressEvent).bytesDone !== null);
		expect(lastTick).toBeLessThan(completedAt);

		const inv = await live.waitFor(
			(e) => e.event === 'inventory:changed' && (e.payload as AdminInventoryEvent).inventory.some((i) => i.componentId === COMPONENT),
			'inventory:changed with the component',
			60_000
		);
		expect(inv.payload).toMatchObject({ deviceId, inventory: [expect.objectContaining({ componentId: COMPONENT, version: '1.0.0', stage: 'deployed' })] });
	});
});
