/**
 * Component IDs are unique per MA (SCOMO-ADC-3, issue #13): two MAs may both name a component
 * "com.example.clock", with different content. Neither upload is refused, nothing tells one MA that the other
 * uses the ID, and one device enrolled with both runs the two side by side: each MA's inventory shows only its
 * own, and removing one leaves the other installed and running, also after the device reconnects (its
 * connect-time report names each component's MA). A real server process and a real agent.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startServerProcess, tempDir, type ServerProcess } from '../support/server-process';
import { createMa, type CreatedMa } from '../support/admin-cli';
import { ApiClient } from '../support/api-client';
import { examplePackage, startAgent, type AgentProcess } from '../support/agent-process';

const CLOCK = 'com.example.clock';
const TERMINAL = ['completed', 'failed', 'expired', 'cancelled'];

let server: ServerProcess;
let acme: CreatedMa & { api: ApiClient };
let globex: CreatedMa & { api: ApiClient };
let agent: AgentProcess | null = null;

async function runOne(api: ApiClient, deviceId: string, kind: string, componentId?: string) {
	const r = await api.createOperations({
		deviceIds: [deviceId],
		operations: [{ kind, ...(componentId ? { componentId } : {}) }] as never,
		consentMode: 'silent'
	});
	expect(r.status).toBe(202);
	return api.waitForOperation(r.body.operations[0]!.correlator, (o) => TERMINAL.includes(o.status), 30_000);
}

const view = async (api: ApiClient, deviceId: string) =>
	(await api.getInventory(deviceId)).body.items.map((i) => `${i.componentId} ${i.version} ${i.stage} ${i.operational}`);

beforeAll(async () => {
	const dataDir = tempDir();
	const a = createMa(dataDir, 'Acme');
	const g = createMa(dataDir, 'Globex');
	server = await startServerProcess({ dataDir });
	acme = { ...a, api: new ApiClient(server.url, a.token) };
	globex = { ...g, api: new ApiClient(server.url, g.token) };
});

afterAll(async () => {
	await agent?.kill();
	await server?.kill();
});

describe('component IDs per MA', () => {
	it("two MAs upload the same ID; one device runs both; each MA sees and removes only its own", async () => {
		const clock = examplePackage(CLOCK, '1.0.0');
		const mine = await acme.api.uploadPackage(clock.manifest, clock.bundle);
		expect(mine.status).toBe(201);
		// Same ID and version, other content: an upload like any other (no 409 that would tell of Acme's).
		const theirsBundle = `${clock.bundle}\n// Globex's own clock\n`;
		const theirs = await globex.api.uploadPackage({ ...clock.manifest, name: 'Globex clock' }, theirsBundle);
		expect(theirs.status).toBe(201);
		expect(theirs.body.sha256).not.toBe(mine.body.sha256);
		// Each MA reads its own package under the ID, and only its own version.
		expect((await acme.api.getPackage(CLOCK)).body).toMatchObject({ name: 'Clock', versions: [expect.objectContaining({ sha256: mine.body.sha256 })] });
		expect((await globex.api.getPackage(CLOCK)).body).toMatchObject({ name: 'Globex clock', versions: [expect.objectContaining({ sha256: theirs.body.sha256 })] });
		expect((await globex.api.getPackage(CLOCK)).body.versions).toHaveLength(1);

		// One device, enrolled with Acme and then with Globex.
		const one = startAgent({ server: server.url, enroll: (await acme.api.createEnrollmentCode()).body.code });
		agent = one;
		const deviceId = String((await one.waitEvent('enrolled')).deviceId);
		await one.waitEvent('connected');
		await one.kill();
		agent = startAgent({ dataDir: one.dataDir, server: server.url, enroll: (await globex.api.createEnrollmentCode()).body.code });
		await agent.waitEvent('enrolled');
		await agent.waitEvent('connected');

		for (const api of [acme.api, globex.api]) {
			expect((await runOne(api, deviceId, 'DownloadInstall', CLOCK)).resultCode).toBe(1200);
			expect((await runOne(api, deviceId, 'Start', CLOCK)).resultCode).toBe(1200);
		}
		expect(await view(acme.api, deviceId)).toEqual([`${CLOCK} 1.0.0 deployed Running`]);
		expect(await view(globex.api, deviceId)).toEqual([`${CLOCK} 1.0.0 deployed Running`]);
		// On the device: two components, one per owner, each with its own bundle digest.
		const items = () => agent!.ledger().inventory.map((i) => ({ maId: i.maId, id: i.component.componentId, sha256: i.sha256, c: i.component }));
		expect(items().map((i) => [i.maId, i.id, i.sha256]).sort()).toEqual(
			[
				[acme.maId, CLOCK, mine.body.sha256],
				[globex.maId, CLOCK, theirs.body.sha256]
			].sort()
		);

		// Acme's Inventory operation lists Acme's clock only.
		expect(await runOne(acme.api, deviceId, 'Inventory')).toMatchObject({ status: 'completed', resultCode: 1200 });
		expect(await view(acme.api, deviceId)).toEqual([`${CLOCK} 1.0.0 deployed Running`]);

		// Acme removes its clock: Globex's stays installed and running.
		expect((await runOne(acme.api, deviceId, 'Stop', CLOCK)).resultCode).toBe(1200);
		expect((await runOne(acme.api, deviceId, 'Remove', CLOCK)).resultCode).toBe(1200);
		expect(await view(acme.api, deviceId)).toEqual([]);
		expect(await view(globex.api, deviceId)).toEqual([`${CLOCK} 1.0.0 deployed Running`]);
		expect(items()).toEqual([expect.objectContaining({ maId: globex.maId, id: CLOCK, c: expect.objectContaining({ operational: 'Running' }) })]);

		// After a restart the connect-time report names each entry's MA: the server files it the same way.
		const dataDir = agent.dataDir;
		await agent.kill();
		agent = startAgent({ dataDir, server: server.url });
		// 'connected' comes once the server has taken the connect-time inventory report.
		await agent.waitEvent('connected');
		expect(items()).toEqual([expect.objectContaining({ maId: globex.maId, c: expect.objectContaining({ operational: 'Running' }) })]);
		expect(await view(acme.api, deviceId)).toEqual([]);
		expect(await view(globex.api, deviceId)).toEqual([`${CLOCK} 1.0.0 deployed Running`]);
		// Globex's Stop reaches Globex's clock, which was restarted after the restart.
		expect((await runOne(globex.api, deviceId, 'Stop', CLOCK)).resultCode).toBe(1200);
		expect(await view(globex.api, deviceId)).toEqual([`${CLOCK} 1.0.0 deployed Stopped`]);
	});
});
