/**
 * SCOMO-Device-06 with a real agent: the device reads an MA's catalog, asks for an install, the MA approves
 * through the REST API, and the resulting operation runs on the device like any other.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { startServerProcess, tempDir, type ServerProcess } from '../support/server-process';
import { createMa } from '../support/admin-cli';
import { ApiClient } from '../support/api-client';
import { agentInventory, examplePackage, startAgent, type AgentProcess } from '../support/agent-process';

let server: ServerProcess | null = null;
let agent: AgentProcess | null = null;

afterAll(async () => {
	await agent?.kill();
	await server?.kill();
});

describe('device-initiated requests (SCOMO-Device-06)', () => {
	it('the agent asks for a component from the catalog; once approved it is installed', async () => {
		const dataDir = tempDir();
		const ma = createMa(dataDir, 'Acme');
		server = await startServerProcess({ dataDir });
		const api = new ApiClient(server.url, ma.token);
		const clock = examplePackage('com.example.clock', '1.0.0');
		expect((await api.uploadPackage(clock.manifest, clock.bundle)).status).toBe(201);

		const code = (await api.createEnrollmentCode()).body.code;
		agent = startAgent({
			server: server.url,
			enroll: code,
			consent: { default: 'accept' },
			args: ['--catalog', '--request', 'com.example.clock', '--note', 'the lobby needs a clock']
		});
		const deviceId = String((await agent.waitEvent('enrolled')).deviceId);
		const catalog = await agent.waitEvent('catalog');
		expect(catalog).toMatchObject({
			maId: ma.maId,
			entries: [{ componentId: 'com.example.clock', name: 'Clock', versions: [{ version: '1.0.0', compatible: true }] }]
		});
		const sent = await agent.waitEvent('request-sent');
		expect(sent).toMatchObject({ ok: true, componentId: 'com.example.clock' });

		const pending = await api.listDeviceRequests('pending');
		expect(pending.body.items).toEqual([
			expect.objectContaining({ id: sent.requestId, deviceId, kind: 'DownloadInstall', note: 'the lobby needs a clock' })
		]);
		const decided = await api.decideDeviceRequest(String(sent.requestId), { decision: 'approve', consentMode: 'silent' });
		expect(decided.status).toBe(200);
		const correlator = decided.body.operation!.correlator;
		const op = await api.waitForOperation(correlator, (o) => ['completed', 'failed'].includes(o.status), 30_000);
		expect(op).toMatchObject({ status: 'completed', resultCode: 1200, kind: 'DownloadInstall' });
		await agent.waitEvent('request-decided', 'the decision', (e) => e.requestId === sent.requestId && e.status === 'approved');
		const serverInventory = (await api.getInventory(deviceId)).body.items.map(({ componentId, stage, version, state, operational }) => ({
			componentId,
			stage,
			version,
			state,
			operational
		}));
		expect(serverInventory).toEqual(agentInventory(agent, ma.maId));
		expect(serverInventory).toHaveLength(1);
	});
});
