/**
 * The operation loop end to end: a real server process (real SQLite), a real agent process running real
 * example packages in worker threads, operations created through the MA REST API. Every SCOMO operation
 * ends with the right result code in the database, and the agent's inventory (its state file) matches the
 * server's after each one.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startServerProcess, tempDir, type ServerProcess } from '../support/server-process';
import { createMa, type CreatedMa } from '../support/admin-cli';
import { ApiClient, type OperationView } from '../support/api-client';
import { agentInventory, examplePackage, startAgent, type AgentProcess } from '../support/agent-process';

const CLOCK = 'com.example.clock';
const CRASHER = 'com.example.crasher';
const UNSTABLE = 'com.example.unstable';
const BASELINE = 'acme-kiosk-os-3.2';

let server: ServerProcess;
let ma: CreatedMa;
let api: ApiClient;
let agent: AgentProcess;
let deviceId: string;

type Kind = OperationView['kind'];

/** Creates one operation (or a batch) and waits until every one has finished on the server. */
async function run(ops: { kind: Kind; componentId?: string; version?: string }[], consentMode: 'silent' | 'notify' | 'confirm' = 'silent') {
	const created = await api.createOperations({ deviceIds: [deviceId], operations: ops as never, consentMode, intent: 'integration test' });
	expect(created.status).toBe(202);
	const done: OperationView[] = [];
	for (const op of created.body.operations) {
		done.push(await api.waitForOperation(op.correlator, (o) => ['completed', 'failed', 'expired', 'cancelled'].includes(o.status)));
	}
	return done;
}

async function runOne(kind: Kind, componentId?: string, version?: string) {
	return (await run([{ kind, componentId, version }]))[0]!;
}

/** The server's inventory for this MA, in the agent's shape. */
async function serverInventory() {
	const r = await api.getInventory(deviceId);
	expect(r.status).toBe(200);
	return r.body.items
		.map(({ componentId, stage, version, state, operational }) => ({ componentId, stage, version, state, operational }))
		.sort((a, b) => a.componentId.localeCompare(b.componentId));
}

async function expectInventoriesMatch() {
	const device = agentInventory(agent, ma.maId);
	expect(await serverInventory()).toEqual(device);
	return device;
}

const clockEntry = async () => (await serverInventory()).find((c) => c.componentId === CLOCK) ?? null;

/**
 * Each test starts from a device with nothing of this MA installed and builds the state it needs with
 * real operations, so any one test runs alone (and none depends on what the one before left).
 */
async function fresh(...setup: [Kind, string?][]) {
	for (const c of await serverInventory()) expect(await runOne('Remove', c.componentId), `removing ${c.componentId}`).toMatchObject({ resultCode: 1200 });
	expect(await expectInventoriesMatch()).toEqual([]);
	for (const [kind, version] of setup) expect(await runOne(kind, CLOCK, version), `${kind} ${version ?? ''}`).toMatchObject({ resultCode: 1200 });
}

beforeAll(async () => {
	const dataDir = tempDir();
	ma = createMa(dataDir, 'Acme');
	server = await startServerProcess({ dataDir });
	api = new ApiClient(server.url, ma.token);
	for (const [id, version] of [
		[CLOCK, '1.0.0'],
		[CLOCK, '1.1.0'],
		[CRASHER, '1.0.0'],
		[UNSTABLE, '1.0.0']
	] as const) {
		const p = examplePackage(id, version);
		expect((await api.uploadPackage(p.manifest, p.bundle)).status).toBe(201);
	}
	// A package built for another baseline (SCOMO-HLFR-9).
	const other = examplePackage(CLOCK, '1.0.0');
	const foreign = { ...other.manifest, id: 'com.example.foreign', name: 'Foreign', compatibleBaselines: ['other-os-1'] };
	expect((await api.uploadPackage(foreign, other.bundle)).status).toBe(201);

	const code = (await api.createEnrollmentCode()).body.code;
	agent = startAgent({ server: server.url, enroll: code, baseline: BASELINE, consent: { default: 'accept' } });
	deviceId = String((await agent.waitEvent('enrolled')).deviceId);
	await agent.waitEvent('connected');
});

afterAll(async () => {
	await agent?.kill();
	await server?.kill();
});

describe('one enrolled agent, every SCOMO operation', () => {
	it('Download puts the package in Inventory/Delivered (1200)', async () => {
		await fresh();
		const op = await runOne('Download', CLOCK, '1.0.0');
		expect(op).toMatchObject({ status: 'completed', resultCode: 1200, downloadStatus: 40 });
		expect(await expectInventoriesMatch()).toEqual([
			{ componentId: CLOCK, stage: 'delivered', version: '1.0.0', state: null, operational: null }
		]);
	});

	it('Install deploys the delivered package, active and stopped (1200)', async () => {
		await fresh(['Download', '1.0.0']);
		const op = await runOne('Install', CLOCK);
		expect(op).toMatchObject({ status: 'completed', resultCode: 1200 });
		await expectInventoriesMatch();
		expect(await clockEntry()).toMatchObject({ stage: 'deployed', version: '1.0.0', state: 'Active', operational: 'Stopped' });
	});

	it('Start runs the component in a worker thread (1200, Running)', async () => {
		await fresh(['DownloadInstall', '1.0.0']);
		const mark = agent.mark();
		const op = await runOne('Start', CLOCK);
		expect(op).toMatchObject({ status: 'completed', resultCode: 1200 });
		// The bundle really ran: its own log line came out of the worker.
		await agent.waitAfter(mark, (e) => e.event === 'component-log' && e.text === 'clock 1.0.0 started', 'the clock to start');
		await expectInventoriesMatch();
		expect(await clockEntry()).toMatchObject({ operational: 'Running' });
	});

	it('Stop calls the component’s stop handler and ends the worker (1200, Stopped)', async () => {
		await fresh(['DownloadInstall', '1.0.0'], ['Start']);
		const mark = agent.mark();
		const op = await runOne('Stop', CLOCK);
		expect(op).toMatchObject({ status: 'completed', resultCode: 1200 });
		await agent.waitAfter(mark, (e) => e.event === 'component-log' && e.text === 'clock 1.0.0 stopped', 'the clock to stop');
		await expectInventoriesMatch();
		expect(await clockEntry()).toMatchObject({ state: 'Active', operational: 'Stopped' });
	});

	it('Deactivate makes the component inactive (1200)', async () => {
		await fresh(['DownloadInstall', '1.0.0']);
		const op = await runOne('Deactivate', CLOCK);
		expect(op).toMatchObject({ status: 'completed', resultCode: 1200 });
		await expectInventoriesMatch();
		expect(await clockEntry()).toMatchObject({ state: 'Inactive', operational: 'Stopped' });
	});

	it('Start on an inactive component ends with 1450 and changes nothing', async () => {
		await fresh(['DownloadInstallInactive', '1.0.0']);
		const before = await expectInventoriesMatch();
		const mark = agent.mark();
		const op = await runOne('Start', CLOCK);
		expect(op).toMatchObject({ status: 'failed', resultCode: 1450 });
		expect(await expectInventoriesMatch()).toEqual(before);
		expect(agent.events.slice(mark).some((e) => e.event === 'component-log')).toBe(false);
	});

	it('Activate makes it active again (1200)', async () => {
		await fresh(['DownloadInstall', '1.0.0'], ['Deactivate']);
		const op = await runOne('Activate', CLOCK);
		expect(op).toMatchObject({ status: 'completed', resultCode: 1200 });
		await expectInventoriesMatch();
		expect(await clockEntry()).toMatchObject({ state: 'Active', operational: 'Stopped' });
	});

	it('Update to 1.1.0 restarts a running component on the new version (1200)', async () => {
		await fresh(['DownloadInstall', '1.0.0'], ['Start']);
		const mark = agent.mark();
		const op = await runOne('Update', CLOCK, '1.1.0');
		expect(op).toMatchObject({ status: 'completed', resultCode: 1200, version: '1.1.0' });
		await agent.waitAfter(mark, (e) => e.event === 'component-log' && e.text === 'clock 1.1.0 started', 'the new clock to start');
		await expectInventoriesMatch();
		expect(await clockEntry()).toMatchObject({ version: '1.1.0', state: 'Active', operational: 'Running' });
	});

	it('Inventory reports this MA’s components (1200)', async () => {
		await fresh(['DownloadInstall', '1.1.0']);
		const op = await runOne('Inventory');
		expect(op).toMatchObject({ status: 'completed', resultCode: 1200 });
		expect(await expectInventoriesMatch()).toHaveLength(1);
	});

	it('Remove stops and deletes the component (1200)', async () => {
		await fresh(['DownloadInstall', '1.1.0'], ['Start']);
		const mark = agent.mark();
		const op = await runOne('Remove', CLOCK);
		expect(op).toMatchObject({ status: 'completed', resultCode: 1200 });
		await agent.waitAfter(mark, (e) => e.event === 'component-log' && e.text === 'clock 1.1.0 stopped', 'the clock to stop');
		expect(await expectInventoriesMatch()).toEqual([]);
	});

	it('DownloadInstall deploys in one step (1200, Active)', async () => {
		await fresh();
		const op = await runOne('DownloadInstall', CLOCK, '1.0.0');
		expect(op).toMatchObject({ status: 'completed', resultCode: 1200, downloadStatus: 50 });
		await expectInventoriesMatch();
		expect(await clockEntry()).toMatchObject({ version: '1.0.0', state: 'Active', operational: 'Stopped' });
	});

	it('DownloadInstallInactive deploys it inactive (1200, Inactive)', async () => {
		await fresh();
		const op = await runOne('DownloadInstallInactive', CLOCK, '1.1.0');
		expect(op).toMatchObject({ status: 'completed', resultCode: 1200 });
		await expectInventoriesMatch();
		expect(await clockEntry()).toMatchObject({ version: '1.1.0', state: 'Inactive', operational: 'Stopped' });
	});

	it('Install on an unsupported baseline ends with 1413 and changes nothing (SCOMO-HLFR-9)', async () => {
		await fresh(['DownloadInstall', '1.0.0']);
		const before = await expectInventoriesMatch();
		const op = await runOne('DownloadInstall', 'com.example.foreign');
		expect(op).toMatchObject({ status: 'failed', resultCode: 1413 });
		expect(await expectInventoriesMatch()).toEqual(before);
	});

	it('a batch runs in order on one confirmation; a component that throws on start ends with 1450, Failed', async () => {
		await fresh();
		const mark = agent.mark();
		const [install, start] = await run(
			[
				{ kind: 'DownloadInstall', componentId: CRASHER },
				{ kind: 'Start', componentId: CRASHER }
			],
			'confirm'
		);
		expect(install).toMatchObject({ resultCode: 1200 });
		expect(start).toMatchObject({ status: 'failed', resultCode: 1450 });
		await expectInventoriesMatch();
		expect((await serverInventory()).find((c) => c.componentId === CRASHER)).toMatchObject({ operational: 'Failed' });
		expect(agent.events.slice(mark).filter((e) => e.event === 'consent-asked')).toHaveLength(1);
	});

	it('a component that crashes while running is reported Failed to the server', async () => {
		await fresh();
		const mark = agent.mark();
		const [, start] = await run([
			{ kind: 'DownloadInstall', componentId: UNSTABLE },
			{ kind: 'Start', componentId: UNSTABLE }
		]);
		expect(start).toMatchObject({ resultCode: 1200 });
		await agent.waitAfter(mark, (e) => e.event === 'component-state' && e.componentId === UNSTABLE && e.operational === 'Failed', 'the crash');
		// The device reports the change with no event of its own for the server's ack: the server's state is
		// the signal (bounded).
		await expect.poll(async () => (await serverInventory()).find((c) => c.componentId === UNSTABLE)?.operational, { timeout: 20_000 }).toBe('Failed');
		await expectInventoriesMatch();
	});
});
