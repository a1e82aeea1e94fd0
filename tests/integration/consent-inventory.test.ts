/**
 * Consent protects inventory (SCOMO-USA-1, ADC-1): once the device's user refuses an MA's Inventory query,
 * nothing about that MA's components leaves the device unasked: not a crash (component:state), not the
 * connect-time inventory report. A real server process and a real agent whose user answers prompts.
 * When the user later accepts an Inventory, the MA sees the truth again, and so do later reports.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startServerProcess, tempDir, type ServerProcess } from '../support/server-process';
import { createMa, type CreatedMa } from '../support/admin-cli';
import { ApiClient, type OperationView } from '../support/api-client';
import { examplePackage, startAgent, type AgentProcess } from '../support/agent-process';

const UNSTABLE = 'com.example.unstable';

let server: ServerProcess;
let ma: CreatedMa;
let api: ApiClient;
let agent: AgentProcess;
let deviceId: string;

const finished = (o: OperationView) => ['completed', 'failed', 'expired', 'cancelled'].includes(o.status);
const launch = (dataDir?: string) =>
	startAgent({ server: server.url, dataDir, consent: { default: 'prompt' }, promptStdin: true, ...(dataDir ? {} : { enroll: code }) });
let code: string;

async function run(kind: 'DownloadInstall' | 'Start' | 'Inventory', consentMode: 'silent' | 'confirm', answer?: 'y' | 'n') {
	const mark = agent.mark();
	const created = await api.createOperations({
		deviceIds: [deviceId],
		operations: [{ kind, ...(kind === 'Inventory' ? {} : { componentId: UNSTABLE }) }],
		consentMode,
		intent: 'consent test'
	});
	if (answer) {
		await agent.waitAfter(mark, (e) => e.event === 'consent-asked', 'the prompt');
		agent.answer(answer);
	}
	return api.waitForOperation(created.body.operations[0]!.correlator, finished);
}

const serverView = async () => (await api.getInventory(deviceId)).body.items.map((c) => `${c.componentId} ${c.operational}`);

/** Restart the agent: its connect-time report has been handled once it says it is connected. */
async function restart() {
	await agent.kill();
	agent = launch(agent.dataDir);
	await agent.waitEvent('connected');
}

beforeAll(async () => {
	const dataDir = tempDir();
	ma = createMa(dataDir, 'Acme');
	server = await startServerProcess({ dataDir });
	api = new ApiClient(server.url, ma.token);
	const p = examplePackage(UNSTABLE, '1.0.0');
	expect((await api.uploadPackage(p.manifest, p.bundle)).status).toBe(201);
	code = (await api.createEnrollmentCode()).body.code;
	agent = launch();
	deviceId = String((await agent.waitEvent('enrolled')).deviceId);
	await agent.waitEvent('connected');
});

afterAll(async () => {
	await agent?.kill();
	await server?.kill();
});

describe('consent protects inventory', () => {
	it('after the user refuses an Inventory, neither a crash nor the connect-time report tells the MA anything', async () => {
		expect(await run('DownloadInstall', 'silent')).toMatchObject({ resultCode: 1200 });
		expect(await serverView()).toEqual([`${UNSTABLE} Stopped`]);
		expect(await run('Inventory', 'confirm', 'n')).toMatchObject({ status: 'failed', resultCode: 1401 });

		// The MA's own Start is an operation it sent (silent mode): its result is reported.
		const mark = agent.mark();
		expect(await run('Start', 'silent')).toMatchObject({ resultCode: 1200 });
		// Then the component crashes on the device: the user refused to share its state, so it stays there.
		await agent.waitAfter(mark, (e) => e.event === 'component-state' && e.operational === 'Failed', 'the crash');
		await restart();
		expect(agent.ledger().inventory.map((i) => i.component)).toEqual([
			{ stage: 'deployed', componentId: UNSTABLE, version: '1.0.0', state: 'Active', operational: 'Failed' }
		]);
		// The server still shows what the MA was last allowed to see.
		expect(await serverView()).toEqual([`${UNSTABLE} Running`]);
	});

	it('once the user accepts an Inventory the MA sees the truth, and state changes are shared again', async () => {
		const op = await run('Inventory', 'confirm', 'y');
		expect(op).toMatchObject({ status: 'completed', resultCode: 1200 });
		expect(await serverView()).toEqual([`${UNSTABLE} Failed`]);
		expect(agent.ledger().withheld ?? []).toEqual([]);
		// Started again, it crashes again: this time the state change reaches the server.
		expect(await run('Start', 'silent')).toMatchObject({ resultCode: 1200 });
		const until = Date.now() + 20_000;
		while ((await serverView())[0] !== `${UNSTABLE} Failed`) {
			if (Date.now() > until) throw new Error(`the crash never reached the server: ${JSON.stringify(await serverView())}`);
			await new Promise((r) => setTimeout(r, 50));
		}
	});
});
