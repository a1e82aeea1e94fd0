/**
 * Nothing lost (issue #17): a decommission made while its device is offline is stored with its signature, so
 * it survives a server restart and reaches the device on its first connection to the new server process,
 * which records the ack.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { parseConfig } from '../../src/lib/server/config';
import { startServer, type RunningServer } from '../../src/lib/server/start';
import { tempDir } from '../support/cleanup';
import { createMa } from '../support/admin-cli';
import { ApiClient, type OperationView } from '../support/api-client';
import { startAgent, agentInventory, examplePackage, type AgentProcess } from '../support/agent-process';
import * as decommissionsRepo from '../../src/lib/server/db/repos/decommissions';
import type { Q } from '../../src/lib/server/db/repos/types';
import { PATIENCE_MS } from '../support/patience';

const CLOCK = 'com.example.clock';
const dataDir = tempDir('scomo-decom-restart-');
const start = () => startServer(parseConfig({ SCOMO_PORT: '0', SCOMO_DATA_DIR: dataDir, SCOMO_LOG_LEVEL: 'silent' }));
const servers: RunningServer[] = [];
const agents: AgentProcess[] = [];
const finished = (o: OperationView) => ['completed', 'failed', 'expired', 'cancelled'].includes(o.status);

afterAll(async () => {
	for (const a of agents) await a.kill();
	for (const s of servers) await s.close();
});

describe('a decommission survives a server restart', () => {
	it('is delivered by the new server process on the device’s next connection, and acked', async () => {
		const first = await start();
		servers.push(first);
		const ma = createMa(dataDir, 'Acme');
		const api = new ApiClient(first.url, ma.token);
		const clock = examplePackage(CLOCK, '1.0.0');
		expect((await api.uploadPackage(clock.manifest, clock.bundle)).status).toBe(201);
		const agent = startAgent({ server: first.url, enroll: (await api.createEnrollmentCode({ label: 'Kiosk' })).body.code, consent: { default: 'accept' } });
		agents.push(agent);
		const deviceId = String((await agent.waitEvent('enrolled')).deviceId);
		await agent.waitEvent('connected');
		const op = await api.createOperations({ deviceIds: [deviceId], operations: [{ kind: 'DownloadInstall', componentId: CLOCK }], consentMode: 'silent' });
		expect(await api.waitForOperation(op.body.operations[0]!.correlator, finished)).toMatchObject({ resultCode: 1200 });
		await agent.kill();

		const r = await api.request('POST', `/api/v1/devices/${deviceId}/decommission`, { confirm: deviceId });
		expect(r).toMatchObject({ status: 200, body: { acknowledged: false } });
		await first.close();

		const second = await start();
		servers.push(second);
		const [pending] = decommissionsRepo.pendingOfDevice(second.ctx.store.db as unknown as Q, deviceId);
		expect(pending).toMatchObject({ maId: ma.maId, ackedAt: null });

		const back = startAgent({ server: second.url, dataDir: agent.dataDir, consent: { default: 'accept' } });
		agents.push(back);
		expect(await back.waitEvent('decommissioned')).toMatchObject({ maId: ma.maId, erased: [CLOCK] });
		expect(agentInventory(back, ma.maId)).toEqual([]);
		const until = Date.now() + PATIENCE_MS;
		while (decommissionsRepo.getDecommission(second.ctx.store.db as unknown as Q, pending!.id)!.ackedAt === null) {
			if (Date.now() > until) throw new Error('no ack recorded');
			await new Promise((res) => setTimeout(res, 50));
		}
	});
});
