/**
 * The headless agent's identity and its MAs, with real processes: enrollment with a one-time code, reuse of
 * the identity on later runs, a second MA on the same device (one device ID, the first baseline kept,
 * SCOMO-HLFR-9), each MA seeing only its own components (SCOMO-ADC-3), and consent from the policy file.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { statSync } from 'node:fs';
import path from 'node:path';
import { startServerProcess, tempDir, type ServerProcess } from '../support/server-process';
import { createMa, type CreatedMa } from '../support/admin-cli';
import { ApiClient } from '../support/api-client';
import { examplePackage, startAgent, type AgentProcess } from '../support/agent-process';

let server: ServerProcess;
let acme: CreatedMa & { api: ApiClient };
let globex: CreatedMa & { api: ApiClient };
const running: AgentProcess[] = [];

const TERMINAL = ['completed', 'failed', 'expired', 'cancelled'];

function agent(opts: Parameters<typeof startAgent>[0]) {
	const a = startAgent(opts);
	running.push(a);
	return a;
}

async function runOne(api: ApiClient, deviceId: string, kind: string, componentId: string | undefined, consentMode = 'silent') {
	const r = await api.createOperations({
		deviceIds: [deviceId],
		operations: [{ kind, ...(componentId ? { componentId } : {}) }] as never,
		consentMode: consentMode as never
	});
	expect(r.status).toBe(202);
	return api.waitForOperation(r.body.operations[0]!.correlator, (o) => TERMINAL.includes(o.status), 30_000);
}

beforeAll(async () => {
	const dataDir = tempDir();
	const a = createMa(dataDir, 'Acme');
	const g = createMa(dataDir, 'Globex');
	server = await startServerProcess({ dataDir });
	acme = { ...a, api: new ApiClient(server.url, a.token) };
	globex = { ...g, api: new ApiClient(server.url, g.token) };
	const clock = examplePackage('com.example.clock', '1.0.0');
	expect((await acme.api.uploadPackage(clock.manifest, clock.bundle)).status).toBe(201);
	const theirs = { ...clock.manifest, id: 'com.globex.meter', name: 'Meter' };
	expect((await globex.api.uploadPackage(theirs, clock.bundle)).status).toBe(201);
});

afterAll(async () => {
	for (const a of running) await a.kill();
	await server?.kill();
});

describe('agent enrollment and identity', () => {
	it('refuses a bad enrollment code with its stable error code and exits', async () => {
		const a = agent({ server: server.url, enroll: 'not-a-real-code' });
		const failed = await a.waitEvent('enroll-failed');
		expect(failed).toMatchObject({ code: 'enrollment_code_invalid', status: 400 });
		expect(await a.exited).toBe(2);
	});

	it('enrolls with a code, keeps its key private, and reuses its identity on the next run', async () => {
		const code = (await acme.api.createEnrollmentCode()).body.code;
		const first = agent({ server: server.url, enroll: code, baseline: 'acme-os-1' });
		const enrolled = await first.waitEvent('enrolled');
		expect(enrolled).toMatchObject({ maId: acme.maId, maName: 'Acme', baselineBuildId: 'acme-os-1' });
		await first.waitEvent('connected');
		expect(statSync(path.join(first.dataDir, 'device-key.pem')).mode & 0o777).toBe(0o600);
		expect(await first.kill()).toBe(0);

		// The code is single use; the device needs no code to come back.
		const again = agent({ dataDir: first.dataDir });
		const started = await again.waitEvent('started');
		expect(started.deviceId).toBe(enrolled.deviceId);
		await again.waitEvent('connected');
		const devices = await acme.api.listDevices();
		expect(devices.body.items.find((d) => d.id === enrolled.deviceId)).toMatchObject({
			online: true,
			baselineBuildId: 'acme-os-1',
			kind: 'agent'
		});
		await again.kill();
	});

	it('a second MA enrolls the same device; each sees only its own components (SCOMO-ADC-3)', async () => {
		const one = agent({ server: server.url, enroll: (await acme.api.createEnrollmentCode()).body.code, baseline: 'kiosk-7' });
		const deviceId = String((await one.waitEvent('enrolled')).deviceId);
		await one.waitEvent('connected');
		expect((await runOne(acme.api, deviceId, 'DownloadInstall', 'com.example.clock')).resultCode).toBe(1200);
		await one.kill();

		// Enrolling again with another MA's code adds that MA; the baseline stays the factory one.
		const code = (await globex.api.createEnrollmentCode()).body.code;
		const two = agent({ dataDir: one.dataDir, server: server.url, enroll: code, baseline: 'something-else' });
		const enrolled = await two.waitEvent('enrolled');
		expect(enrolled).toMatchObject({ deviceId, maId: globex.maId, baselineBuildId: 'kiosk-7' });
		const connected = await two.waitEvent('connected');
		expect([...(connected.maIds as string[])].sort()).toEqual([acme.maId, globex.maId].sort());
		expect(two.identity().mas.map((m) => m.name)).toEqual(['Acme', 'Globex']);

		// Globex sees the device but not Acme's clock, in its inventory and in an Inventory operation.
		const inventory = await runOne(globex.api, deviceId, 'Inventory', undefined);
		expect(inventory).toMatchObject({ status: 'completed', resultCode: 1200 });
		expect((await globex.api.getInventory(deviceId)).body.items).toEqual([]);
		expect((await runOne(globex.api, deviceId, 'DownloadInstall', 'com.globex.meter')).resultCode).toBe(1200);
		expect((await globex.api.getInventory(deviceId)).body.items.map((i) => i.componentId)).toEqual(['com.globex.meter']);
		expect((await acme.api.getInventory(deviceId)).body.items.map((i) => i.componentId)).toEqual(['com.example.clock']);
		// Both live on the device, each owned by its MA.
		expect(
			two
				.ledger()
				.inventory.map((i) => [i.component.componentId, i.maId])
				.sort()
		).toEqual([
			['com.example.clock', acme.maId],
			['com.globex.meter', globex.maId]
		]);
	});

	it('consent from the policy file: confirm refused ends with 1401, silent runs without asking', async () => {
		const code = (await acme.api.createEnrollmentCode()).body.code;
		const a = agent({ server: server.url, enroll: code, consent: { default: 'refuse' } });
		const deviceId = String((await a.waitEvent('enrolled')).deviceId);
		await a.waitEvent('connected');
		const refused = await runOne(acme.api, deviceId, 'DownloadInstall', 'com.example.clock', 'confirm');
		expect(refused).toMatchObject({ status: 'failed', resultCode: 1401 });
		const asked = await a.waitEvent('consent-asked');
		// SCOMO-USA-4: the prompt names the MA, the operation's implication and the component.
		expect(asked.text).toContain('Acme asks to run 1 operation(s)');
		expect(asked.text).toContain('Download and install Clock 1.0.0: Downloads and installs the component');
		expect((await acme.api.getInventory(deviceId)).body.items).toEqual([]);
		expect((await runOne(acme.api, deviceId, 'DownloadInstall', 'com.example.clock', 'silent')).resultCode).toBe(1200);
		expect(a.events.filter((e) => e.event === 'consent-asked')).toHaveLength(1);
	});

	it('a blocked MA gets 1401 even for silent operations, and the user is told', async () => {
		const code = (await acme.api.createEnrollmentCode()).body.code;
		const a = agent({ server: server.url, enroll: code, consent: { default: 'accept', choices: { [acme.maId]: 'block' } } });
		const deviceId = String((await a.waitEvent('enrolled')).deviceId);
		await a.waitEvent('connected');
		expect(await runOne(acme.api, deviceId, 'DownloadInstall', 'com.example.clock', 'silent')).toMatchObject({ resultCode: 1401 });
		expect(await a.waitEvent('notice', 'the blocked notice', (e) => e.kind === 'blocked')).toMatchObject({ maName: 'Acme' });
	});
});
