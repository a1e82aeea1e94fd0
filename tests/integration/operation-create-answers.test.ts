/**
 * What creating an operation answers, against a real server and a real agent:
 * - early 1413: the server knows each device's enrolled baseline and warns, per device, when the package
 *   excludes it; the operation is still sent and the device, the final judge, refuses it with 1413;
 * - one way to address an operation: the ID that create returns works wherever the correlator does.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startServerProcess, tempDir, type ServerProcess } from '../support/server-process';
import { createMa, type CreatedMa } from '../support/admin-cli';
import { ApiClient, type OperationView } from '../support/api-client';
import { examplePackage, startAgent, type AgentProcess } from '../support/agent-process';

const CLOCK = 'com.example.clock';
const FOREIGN = 'com.example.foreign';
const BASELINE = 'acme-kiosk-os-3.2';

type Warning = { deviceId: string; correlator: string; resultCode: number; message: string };

let server: ServerProcess;
let ma: CreatedMa;
let other: CreatedMa;
let api: ApiClient;
let agent: AgentProcess;
let deviceId: string;

const finished = (o: OperationView) => ['completed', 'failed', 'expired', 'cancelled'].includes(o.status);

beforeAll(async () => {
	const dataDir = tempDir();
	ma = createMa(dataDir, 'Acme');
	other = createMa(dataDir, 'Other');
	server = await startServerProcess({ dataDir });
	api = new ApiClient(server.url, ma.token);
	const clock = examplePackage(CLOCK, '1.0.0');
	expect((await api.uploadPackage(clock.manifest, clock.bundle)).status).toBe(201);
	const foreign = { ...clock.manifest, id: FOREIGN, name: 'Foreign', compatibleBaselines: ['other-os-1'] };
	expect((await api.uploadPackage(foreign, clock.bundle)).status).toBe(201);
	const code = (await api.createEnrollmentCode()).body.code;
	agent = startAgent({ server: server.url, enroll: code, baseline: BASELINE, consent: { default: 'accept' } });
	deviceId = String((await agent.waitEvent('enrolled')).deviceId);
	await agent.waitEvent('connected');
});

afterAll(async () => {
	await agent?.kill();
	await server?.kill();
});

describe('early 1413', () => {
	it('warns per device when the package excludes its baseline, and the device still decides (1413)', async () => {
		const created = await api.createOperations({ deviceIds: [deviceId], operations: [{ kind: 'DownloadInstall', componentId: FOREIGN }] });
		expect(created.status).toBe(202);
		const body = created.body as typeof created.body & { warnings: Warning[] };
		const op = body.operations[0]!;
		expect(body.warnings).toHaveLength(1);
		expect(body.warnings[0]).toMatchObject({ deviceId, correlator: op.correlator, resultCode: 1413 });
		expect(body.warnings[0]!.message).toContain(BASELINE);
		// Sent anyway: the device checks and answers.
		const done = await api.waitForOperation(op.correlator, finished);
		expect(done).toMatchObject({ status: 'failed', resultCode: 1413 });
	});

	it('has no warning when the package supports the baseline', async () => {
		const created = await api.createOperations({ deviceIds: [deviceId], operations: [{ kind: 'Download', componentId: CLOCK }] });
		expect(created.status).toBe(202);
		expect((created.body as typeof created.body & { warnings: Warning[] }).warnings).toEqual([]);
		expect(await api.waitForOperation(created.body.operations[0]!.correlator, finished)).toMatchObject({ resultCode: 1200 });
	});
});

describe('one way to address an operation', () => {
	it('reads an operation by the ID create returned, the same as by its correlator', async () => {
		const created = await api.createOperations({ deviceIds: [deviceId], operations: [{ kind: 'Inventory' }] });
		const { id, correlator } = created.body.operations[0]!;
		const done = await api.waitForOperation(correlator, finished);
		const byId = await api.request<OperationView>('GET', `/api/v1/operations/${id}`);
		expect(byId.status).toBe(200);
		expect(byId.body).toEqual(done);
	});

	it('cancels by ID (a finished operation answers conflict either way; an unknown ID is not_found)', async () => {
		const created = await api.createOperations({ deviceIds: [deviceId], operations: [{ kind: 'Inventory' }] });
		const { id, correlator } = created.body.operations[0]!;
		await api.waitForOperation(correlator, finished);
		const byId = await api.request('POST', `/api/v1/operations/${id}/cancel`);
		const byCorrelator = await api.cancelOperation(correlator);
		expect(byId.status).toBe(409);
		expect(byCorrelator.status).toBe(409);
		expect(byId.body.error?.code).toBe(byCorrelator.body.error?.code);
		const unknown = await api.request('GET', `/api/v1/operations/${id.replace(/.$/, (c) => (c === '0' ? '1' : '0'))}`);
		expect(unknown.status).toBe(404);
	});

	it('does not let another MA read an operation by its ID', async () => {
		const created = await api.createOperations({ deviceIds: [deviceId], operations: [{ kind: 'Inventory' }] });
		const { id } = created.body.operations[0]!;
		const foreign = await new ApiClient(server.url, other.token).request('GET', `/api/v1/operations/${id}`);
		expect(foreign.status).toBe(404);
	});
});
