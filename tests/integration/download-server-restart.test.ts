/**
 * Downloads survive a server restart: real agents are told to install and start a component, the real
 * server process is killed while they are in the download step, and started again on the same data and
 * port. The agents retry with backoff (a new token after reconnecting) and finish: the DownloadInstall and
 * the dependent Start both succeed, where before every one ended 1402 and the Starts 1458.
 *
 * To be sure the download happens while the server is down (and not before the kill), the agents wait on a
 * consent prompt: the set is confirm-mode, the server is killed, then the prompts are accepted.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startServerProcess, tempDir, type ServerProcess } from '../support/server-process';
import { createMa, type CreatedMa } from '../support/admin-cli';
import { ApiClient, type OperationView } from '../support/api-client';
import { agentInventory, examplePackage, startAgent, type AgentProcess } from '../support/agent-process';

const CLOCK = 'com.example.clock';
const AGENTS = 2;

let dataDir: string;
let server: ServerProcess;
let ma: CreatedMa;
let api: ApiClient;
const agents: { agent: AgentProcess; deviceId: string }[] = [];

const finished = (o: OperationView) => ['completed', 'failed', 'expired', 'cancelled'].includes(o.status);

beforeAll(async () => {
	dataDir = tempDir();
	ma = createMa(dataDir, 'Acme');
	server = await startServerProcess({ dataDir });
	api = new ApiClient(server.url, ma.token);
	const p = examplePackage(CLOCK, '1.0.0');
	expect((await api.uploadPackage(p.manifest, p.bundle)).status).toBe(201);
	for (let i = 0; i < AGENTS; i++) {
		const code = (await api.createEnrollmentCode()).body.code;
		// A short ack timeout: a download attempt notices the dead server within seconds.
		const agent = startAgent({ server: server.url, enroll: code, consent: { default: 'prompt' }, promptStdin: true, args: ['--ack-timeout', '2000'] });
		const deviceId = String((await agent.waitEvent('enrolled')).deviceId);
		await agent.waitEvent('connected');
		agents.push({ agent, deviceId });
	}
});

afterAll(async () => {
	for (const { agent } of agents) await agent.kill();
	await server?.kill();
});

describe('downloads survive a server restart', () => {
	it('agents downloading while the server is killed finish after it restarts, and the dependent Start succeeds', async () => {
		const created = await api.createOperations({
			deviceIds: agents.map((a) => a.deviceId),
			operations: [{ kind: 'DownloadInstall', componentId: CLOCK }, { kind: 'Start', componentId: CLOCK }],
			consentMode: 'confirm',
			intent: 'install and start the clock'
		});
		expect(created.status).toBe(202);
		for (const { agent } of agents) await agent.waitEvent('consent-asked');

		const port = new URL(server.url).port;
		await server.kill('SIGKILL');
		const marks = agents.map(({ agent }) => agent.mark());
		for (const { agent } of agents) agent.answer('y');
		// Every agent tries to download with the server gone, fails transiently and waits to try again.
		for (const [i, { agent }] of agents.entries()) {
			await agent.waitAfter(marks[i]!, (e) => e.event === 'download-retry', 'a download retry while the server is down');
		}
		expect(agents.some(({ agent }) => agent.events.some((e) => e.event === 'operation'))).toBe(false);

		server = await startServerProcess({ dataDir, env: { SCOMO_PORT: port } });
		expect(new URL(server.url).port).toBe(port);
		api = new ApiClient(server.url, ma.token);

		for (const op of created.body.operations) {
			const done = await api.waitForOperation(op.correlator, finished, 90_000);
			expect(done, `${op.kind} on ${op.deviceId}`).toMatchObject({ status: 'completed', resultCode: 1200 });
		}
		for (const { agent, deviceId } of agents) {
			expect(agent.events.some((e) => e.event === 'operation' && e.resultCode === 1402)).toBe(false);
			expect(agentInventory(agent, ma.maId)).toEqual([{ componentId: CLOCK, stage: 'deployed', version: '1.0.0', state: 'Active', operational: 'Running' }]);
			const inventory = await api.getInventory(deviceId);
			expect(inventory.body.items.map((c) => [c.componentId, c.operational])).toEqual([[CLOCK, 'Running']]);
		}
	}, 180_000);
});
