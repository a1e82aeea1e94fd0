/**
 * Decommissioning a device from one MA (issue #17) with real agents on a real server.
 * - Online: the MA-signed decommission reaches the agent at once; it stops and removes that MA's components,
 *   keeps the other MA's, tells its user and acks; the server records the ack. The device leaves the MA's lists,
 *   its REST reads answer not_found, the MA's name/tags of it are gone, its operation history and audit stay.
 *   The other MA still sees and operates it. An MA the device is not enrolled with gets not_found.
 * - While the user is being asked for one of the MA's sets: the prompt goes, nothing of it runs (1462).
 * - Offline: the decommission is stored, the MA's queued operation ends with 1462, and the agent is told on its
 *   next connection; then it has no MA left and the server neither revokes it nor keeps it connected.
 * - Replay: after the device enrolled with the MA again, the old decommission (even delivered by the server's
 *   own transport) erases nothing; an undelivered one is void once the device re-enrolls.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, newMa, type TestServer } from '../support/test-server';
import { startAgent, agentInventory, examplePackage, type AgentProcess } from '../support/agent-process';
import type { ApiClient, OperationView } from '../support/api-client';
import * as decommissionsRepo from '../../src/lib/server/db/repos/decommissions';
import * as auditRepo from '../../src/lib/server/db/repos/audit';
import * as devicesRepo from '../../src/lib/server/db/repos/devices';
import * as enrollmentsRepo from '../../src/lib/server/db/repos/enrollments';
import type { Q } from '../../src/lib/server/db/repos/types';
import type { DecommissionMsg } from '../../src/lib/contract';
import { PATIENCE_MS } from '../support/patience';

const CLOCK = 'com.example.clock';

let server: TestServer;
let acme: ReturnType<typeof newMa>;
let globex: ReturnType<typeof newMa>;
let initech: ReturnType<typeof newMa>;
const agents: AgentProcess[] = [];
const db = () => server.ctx.store.db as unknown as Q;

const finished = (o: OperationView) => ['completed', 'failed', 'expired', 'cancelled'].includes(o.status);

async function runOne(api: ApiClient, deviceId: string, kind: string, componentId?: string) {
	const r = await api.createOperations({ deviceIds: [deviceId], operations: [{ kind, ...(componentId ? { componentId } : {}) }] as never, consentMode: 'silent' });
	expect(r.status).toBe(202);
	return api.waitForOperation(r.body.operations[0]!.correlator, finished);
}

/** Polls the store (bounded) until `check` holds; the server records acks after the socket answered. */
async function eventually<T>(read: () => T, check: (v: T) => boolean, what: string): Promise<T> {
	const until = Date.now() + PATIENCE_MS;
	for (;;) {
		const v = read();
		if (check(v)) return v;
		if (Date.now() > until) throw new Error(`no ${what}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

const decommission = (api: ApiClient, deviceId: string, confirm: unknown = deviceId) =>
	api.request<{ deviceId: string; maId: string; cancelled: number; acknowledged: boolean; otherMas: boolean }>('POST', `/api/v1/devices/${deviceId}/decommission`, { confirm });

async function enroll(api: ApiClient, label: string, dataDir?: string) {
	const code = (await api.createEnrollmentCode({ label })).body.code;
	const agent = startAgent({ server: server.url, enroll: code, consent: { default: 'accept' }, ...(dataDir ? { dataDir } : {}) });
	agents.push(agent);
	const deviceId = String((await agent.waitEvent('enrolled')).deviceId);
	await agent.waitEvent('connected');
	return { agent, deviceId };
}

beforeAll(async () => {
	server = await startTestServer();
	acme = newMa(server, 'Acme');
	globex = newMa(server, 'Globex');
	initech = newMa(server, 'Initech');
	const clock = examplePackage(CLOCK, '1.0.0');
	for (const ma of [acme, globex]) expect((await ma.api.uploadPackage(clock.manifest, clock.bundle)).status).toBe(201);
});

afterAll(async () => {
	for (const a of agents) await a.kill();
	await server?.close();
});

describe('decommission a device from an MA', () => {
	it('online: the device erases that MA’s components only, acks; it leaves the MA’s lists; the other MA keeps it', async () => {
		const first = await enroll(acme.api, 'Lobby kiosk');
		const { deviceId } = first;
		await first.agent.kill();
		const { agent } = await enroll(globex.api, 'Globex kiosk', first.agent.dataDir);
		for (const api of [acme.api, globex.api]) {
			expect(await runOne(api, deviceId, 'DownloadInstall', CLOCK)).toMatchObject({ resultCode: 1200 });
			expect(await runOne(api, deviceId, 'Start', CLOCK)).toMatchObject({ resultCode: 1200 });
		}
		expect((await acme.api.request('PATCH', `/api/v1/devices/${deviceId}`, { notes: 'by the door', tags: ['lobby', 'floor=3'] })).status).toBe(200);
		expect((await acme.api.listDevices({ filter: 'Lobby' })).body.total).toBe(1);

		// Not enrolled with Initech: not_found, like a missing device. A wrong confirmation: invalid_request.
		expect(await decommission(initech.api, deviceId)).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
		expect(await decommission(acme.api, deviceId, 'yes')).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
		expect(await decommission(acme.api, deviceId, '0190a000-0000-7000-8000-000000000000')).toMatchObject({ status: 400 });
		expect((await acme.api.getDevice(deviceId)).status).toBe(200);

		const mark = agent.mark();
		const r = await decommission(acme.api, deviceId);
		expect(r).toMatchObject({ status: 200, body: { deviceId, maId: acme.maId, cancelled: 0, acknowledged: true, otherMas: true } });
		const told = await agent.waitAfter(mark, (e) => e.event === 'decommissioned', 'the decommission');
		expect(told).toMatchObject({ maId: acme.maId, maName: 'Acme', erased: [CLOCK], remainingMas: 1 });
		expect(await agent.waitAfter(mark, (e) => e.event === 'notice' && e.kind === 'decommissioned', 'the notice')).toMatchObject({ maName: 'Acme', components: [String(examplePackage(CLOCK, '1.0.0').manifest.name)] });

		// On the device: Acme's component and trust are gone, Globex's clock still runs.
		expect(agentInventory(agent, acme.maId)).toEqual([]);
		expect(agentInventory(agent, globex.maId)).toEqual([expect.objectContaining({ componentId: CLOCK, operational: 'Running' })]);
		expect(agent.identity().mas.map((m) => m.maId)).toEqual([globex.maId]);

		// On the server: the ack is recorded and audited; the device is out of Acme's lists and reads.
		const row = decommissionsRepo.pendingOfDevice(db(), deviceId);
		expect(row).toEqual([]);
		const actions = auditRepo.listAuditOfTarget(db(), 'device', deviceId).map((a) => a.action);
		expect(actions).toEqual(expect.arrayContaining(['device.decommission', 'device.decommission.ack']));
		expect((await acme.api.getDevice(deviceId)).status).toBe(404);
		expect((await acme.api.getInventory(deviceId)).status).toBe(404);
		expect((await acme.api.listDevices()).body.items.map((d) => d.id)).not.toContain(deviceId);
		expect((await acme.api.listDevices({ filter: 'Lobby' })).body.total).toBe(0);
		expect((await acme.api.listDevices({ filter: 'tag == lobby' })).body.total).toBe(0);
		expect(await decommission(acme.api, deviceId)).toMatchObject({ status: 404 });
		const refused = await acme.api.createOperations({ deviceIds: [deviceId], operations: [{ kind: 'Inventory' }], consentMode: 'silent' });
		expect(refused.status).toBe(404);
		// Acme's name, notes and tags of it are erased; its operation history stays, as records.
		expect(enrollmentsRepo.getEnrollment(db(), deviceId, acme.maId)).toMatchObject({ name: '', notes: '', leftAt: expect.any(Number) });
		expect((await acme.api.listOperations({ deviceId })).body.items.length).toBeGreaterThanOrEqual(2);

		// Globex: unaffected; it still sees and operates the device.
		const theirs = await globex.api.getDevice(deviceId);
		expect(theirs.status).toBe(200);
		expect(theirs.body.inventory).toEqual([expect.objectContaining({ componentId: CLOCK })]);
		expect(await runOne(globex.api, deviceId, 'Stop', CLOCK)).toMatchObject({ resultCode: 1200 });
		expect(devicesRepo.getDevice(db(), deviceId)!.revokedAt).toBeNull();
	});

	it('while the user is being asked for the MA’s set: the prompt goes, nothing of it runs, the device erases and acks', async () => {
		const code = (await acme.api.createEnrollmentCode({ label: 'Asked kiosk' })).body.code;
		const agent = startAgent({ server: server.url, enroll: code, consent: { default: 'prompt' }, promptStdin: true });
		agents.push(agent);
		const deviceId = String((await agent.waitEvent('enrolled')).deviceId);
		await agent.waitEvent('connected');
		const mark = agent.mark();
		const asked = await acme.api.createOperations({ deviceIds: [deviceId], operations: [{ kind: 'DownloadInstall', componentId: CLOCK }], consentMode: 'confirm', intent: 'install the clock' });
		const op = asked.body.operations[0]!;
		await agent.waitAfter(mark, (e) => e.event === 'consent-asked', 'the prompt');

		const r = await decommission(acme.api, deviceId);
		expect(r).toMatchObject({ status: 200, body: { cancelled: 1, acknowledged: true, otherMas: false } });
		expect(await acme.api.waitForOperation(op.correlator, finished)).toMatchObject({ status: 'cancelled', resultCode: 1462 });
		expect(await agent.waitAfter(mark, (e) => e.event === 'decommissioned', 'the decommission')).toMatchObject({ erased: [], remainingMas: 0 });
		// Saying yes now answers nothing: the prompt and its set are gone, nothing ran.
		agent.answer('y');
		expect(agent.ledger().journal).toEqual([]);
		expect(agent.ledger().results).toEqual({});
		expect(agent.events.slice(mark).filter((e) => e.event === 'operation')).toEqual([]);
		expect(agentInventory(agent, acme.maId)).toEqual([]);
	});

	let offlineDevice: { agent: AgentProcess; deviceId: string };
	let firstMessage: DecommissionMsg;

	it('offline: stored, its queued operation ends with 1462, delivered and acked on the next connection', async () => {
		offlineDevice = await enroll(acme.api, 'Reception tablet');
		const { deviceId } = offlineDevice;
		expect(await runOne(acme.api, deviceId, 'DownloadInstall', CLOCK)).toMatchObject({ resultCode: 1200 });
		await offlineDevice.agent.kill();
		await eventually(() => server.ctx.relay.isOnline(deviceId), (on) => !on, 'disconnection');
		const queued = await acme.api.createOperations({ deviceIds: [deviceId], operations: [{ kind: 'Inventory' }], consentMode: 'silent' });

		const r = await decommission(acme.api, deviceId);
		expect(r).toMatchObject({ status: 200, body: { cancelled: 1, acknowledged: false, otherMas: false } });
		expect(await acme.api.waitForOperation(queued.body.operations[0]!.correlator, finished)).toMatchObject({ status: 'cancelled', resultCode: 1462 });
		const [pending] = decommissionsRepo.pendingOfDevice(db(), deviceId);
		expect(pending).toMatchObject({ maId: acme.maId, ackedAt: null });
		firstMessage = { maId: pending!.maId, deviceId, enrolledAt: pending!.enrolledAt, nonce: pending!.id, issuedAt: pending!.issuedAt, keyId: pending!.keyId, signature: pending!.signature };

		const agent = startAgent({ server: server.url, dataDir: offlineDevice.agent.dataDir, consent: { default: 'accept' } });
		agents.push(agent);
		offlineDevice = { agent, deviceId };
		expect(await agent.waitEvent('decommissioned')).toMatchObject({ maId: acme.maId, erased: [CLOCK], remainingMas: 0 });
		const acked = await eventually(() => decommissionsRepo.getDecommission(db(), pending!.id)!, (d) => d.ackedAt !== null, 'ack');
		expect(JSON.parse(acked.erased!)).toEqual([CLOCK]);
		expect(agentInventory(agent, acme.maId)).toEqual([]);
		expect(agent.identity().mas).toEqual([]);
		// No MA left: not revoked (it may be enrolled again), and not kept connected.
		expect(devicesRepo.getDevice(db(), deviceId)!.revokedAt).toBeNull();
		await eventually(() => server.ctx.relay.isOnline(deviceId), (on) => !on, 'the connection to close');
	});

	it('replay: after a re-enrollment, the old decommission erases nothing; an undelivered one is void', async () => {
		await offlineDevice.agent.kill();
		const { agent, deviceId } = await enroll(acme.api, 'Reception tablet', offlineDevice.agent.dataDir);
		expect(deviceId).toBe(offlineDevice.deviceId);
		expect(await runOne(acme.api, deviceId, 'DownloadInstall', CLOCK)).toMatchObject({ resultCode: 1200 });

		// The genuine old message, signed by Acme's key, replayed through the server's own transport.
		const mark = agent.mark();
		expect(await server.ctx.relay.sendDecommission(deviceId, firstMessage)).toMatchObject({ ok: false, code: 'conflict' });
		await agent.waitAfter(mark, (e) => e.event === 'decommission-refused', 'the refusal');
		expect(agentInventory(agent, acme.maId)).toEqual([expect.objectContaining({ componentId: CLOCK })]);
		expect(agent.identity().mas.map((m) => m.maId)).toEqual([acme.maId]);
		expect((await acme.api.getDevice(deviceId)).status).toBe(200);

		// Decommissioned while offline, then enrolled again before it connected: the old one is never sent.
		await agent.kill();
		await eventually(() => server.ctx.relay.isOnline(deviceId), (on) => !on, 'disconnection');
		expect((await decommission(acme.api, deviceId)).status).toBe(200);
		expect(decommissionsRepo.pendingOfDevice(db(), deviceId)).toHaveLength(1);
		const again = await enroll(acme.api, 'Reception tablet', agent.dataDir);
		expect(decommissionsRepo.pendingOfDevice(db(), deviceId)).toEqual([]);
		expect(again.agent.events.some((e) => e.event === 'decommissioned' || e.event === 'decommission-refused')).toBe(false);
		expect(agentInventory(again.agent, acme.maId)).toEqual([expect.objectContaining({ componentId: CLOCK })]);
	});
});
