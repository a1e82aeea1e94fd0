/**
 * Restart policy of the headless agent (src/lib/device/runtime.ts restore()): a component that was Running
 * when the agent died is started again, in a real worker thread, when the agent comes back on the same data
 * directory. The proof is the component's own code talking: its start-up line and its ticks (scomo.log from
 * inside the worker) arrive from the new agent process, and its ledger says Running.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { rmSync } from 'node:fs';
import { startServerProcess, tempDir, type ServerProcess } from '../support/server-process';
import { createMa, type CreatedMa } from '../support/admin-cli';
import { ApiClient } from '../support/api-client';
import { agentInventory, examplePackage, startAgent, type AgentProcess } from '../support/agent-process';

const CLOCK = 'com.example.clock';
const BASELINE = 'acme-kiosk-os-3.2';
const terminal = (s: string) => ['completed', 'failed', 'expired', 'cancelled'].includes(s);

let dataDir: string;
let server: ServerProcess;
let ma: CreatedMa;
let api: ApiClient;
const agents: AgentProcess[] = [];

beforeAll(async () => {
	dataDir = tempDir('scomo-restart-');
	ma = createMa(dataDir, 'Acme');
	server = await startServerProcess({ dataDir });
	api = new ApiClient(server.url, ma.token);
	const clock = examplePackage(CLOCK, '1.0.0');
	expect((await api.uploadPackage(clock.manifest, clock.bundle)).status).toBe(201);
});
afterAll(async () => {
	for (const a of agents) await a.kill('SIGKILL');
	await server?.kill();
	for (const a of agents) rmSync(a.dataDir, { recursive: true, force: true });
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const componentLog = (text: string) => (e: { event: string; componentId?: unknown; text?: unknown }) =>
	e.event === 'component-log' && e.componentId === CLOCK && String(e.text).startsWith(text);

describe('agent restart', () => {
	it('brings a Running component back in a worker thread after the agent was killed', async () => {
		const code = (await api.createEnrollmentCode()).body.code;
		const first = startAgent({ server: server.url, enroll: code, baseline: BASELINE, consent: { default: 'accept' } });
		agents.push(first);
		const deviceId = String((await first.waitEvent('enrolled')).deviceId);
		await first.waitEvent('connected');
		const created = await api.createOperations({
			deviceIds: [deviceId],
			operations: [{ kind: 'DownloadInstall', componentId: CLOCK }, { kind: 'Start', componentId: CLOCK }],
			consentMode: 'silent'
		});
		expect(created.status).toBe(202);
		for (const op of created.body.operations) {
			expect(await api.waitForOperation(op.correlator, (o) => terminal(o.status))).toMatchObject({ status: 'completed', resultCode: 1200 });
		}
		await first.waitFor(componentLog('clock 1.0.0 started'), 'the clock starting');
		expect(agentInventory(first, ma.maId)).toEqual([
			{ componentId: CLOCK, stage: 'deployed', version: '1.0.0', state: 'Active', operational: 'Running' }
		]);

		// Killed outright: no onStop, no chance to write anything down.
		await first.kill('SIGKILL');
		const second = startAgent({ dataDir: first.dataDir, consent: { default: 'accept' } });
		agents.push(second);
		await second.waitFor(componentLog('clock 1.0.0 started'), 'the clock starting again in the restarted agent');
		// Still running: the next tick comes from the worker's own timer.
		const mark = second.mark();
		await second.waitAfter(mark, componentLog('tick'), 'a tick from the restarted clock');
		expect(agentInventory(second, ma.maId)).toEqual([
			{ componentId: CLOCK, stage: 'deployed', version: '1.0.0', state: 'Active', operational: 'Running' }
		]);
	});
});
