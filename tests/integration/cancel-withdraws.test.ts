/**
 * Cancel withdraws: an administrator cancels operations a real agent already holds, one while its user is
 * being asked (awaiting-consent) and one waiting behind it in the journal (delivered). The server sends an
 * MA-signed withdrawal; the agent takes the prompt away ("withdrawn by <MA>" notice), runs nothing, and both
 * end with 1462. Answering "yes" afterwards runs nothing. A withdrawal not signed by the MA's key (the
 * in-process server lets the test forge one) is ignored and the operation runs.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { generateKeyPairSync, sign } from 'node:crypto';
import { withdrawMessage } from '../../src/lib/core/envelope';
import { startTestServer, newMa, type TestServer } from '../support/test-server';
import { agentInventory, examplePackage, startAgent, type AgentProcess } from '../support/agent-process';
import type { OperationView } from '../support/api-client';

const CLOCK = 'com.example.clock';

let server: TestServer;
let acme: ReturnType<typeof newMa>;
let agent: AgentProcess;
let deviceId: string;

const finished = (o: OperationView) => ['completed', 'failed', 'expired', 'cancelled'].includes(o.status);

beforeAll(async () => {
	server = await startTestServer();
	acme = newMa(server, 'Acme');
	const p = examplePackage(CLOCK, '1.0.0');
	expect((await acme.api.uploadPackage(p.manifest, p.bundle)).status).toBe(201);
	const code = (await acme.api.createEnrollmentCode()).body.code;
	agent = startAgent({ server: server.url, enroll: code, consent: { default: 'prompt' }, promptStdin: true });
	deviceId = String((await agent.waitEvent('enrolled')).deviceId);
	await agent.waitEvent('connected');
});

afterAll(async () => {
	await agent?.kill();
	await server?.close();
});

describe('cancel withdraws delivered operations on the device', () => {
	it('withdraws an operation awaiting the user and one delivered behind it: the prompt goes, nothing runs, 1462', async () => {
		const asked = await acme.api.createOperations({
			deviceIds: [deviceId],
			operations: [{ kind: 'DownloadInstall', componentId: CLOCK }],
			consentMode: 'confirm',
			intent: 'install the clock'
		});
		const behind = await acme.api.createOperations({ deviceIds: [deviceId], operations: [{ kind: 'Inventory' }], consentMode: 'silent' });
		const waiting = asked.body.operations[0]!;
		const queuedBehind = behind.body.operations[0]!;
		await agent.waitEvent('consent-asked');
		expect(await acme.api.waitForOperation(waiting.correlator, (o) => o.status === 'awaiting-consent')).toBeTruthy();
		expect(await acme.api.waitForOperation(queuedBehind.correlator, (o) => o.status === 'delivered')).toBeTruthy();

		// The admin cancels the one behind (by correlator) first, then the one whose user is being asked (by ID).
		// In this order both withdrawals are certain to arrive while the prompt still holds the journal: withdrawn
		// first, the prompt would free the journal and the Inventory behind it could run (instantly, 1200) before
		// its own withdrawal arrived, which is the device's right (a started operation keeps its own result).
		const mark = agent.mark();
		expect((await acme.api.cancelOperation(queuedBehind.correlator)).status).toBe(200);
		const first = await acme.api.request<OperationView>('POST', `/api/v1/operations/${waiting.id}/cancel`);
		expect(first.status).toBe(200);
		expect(first.body.cancelRequestedAt).toEqual(expect.any(Number));

		const notice = await agent.waitAfter(
			mark,
			(e) => e.event === 'notice' && e.kind === 'withdrawn' && (e.correlators as string[]).includes(waiting.correlator),
			'the withdrawn notice of the prompt'
		);
		expect(notice).toMatchObject({ maId: acme.maId, maName: 'Acme', correlators: [waiting.correlator] });
		for (const op of [waiting, queuedBehind]) {
			expect(await acme.api.waitForOperation(op.correlator, finished)).toMatchObject({ status: 'cancelled', resultCode: 1462 });
		}

		// Saying yes now answers nothing: the prompt is gone. A later operation runs, so the journal moved on.
		agent.answer('y');
		const after = await acme.api.createOperations({ deviceIds: [deviceId], operations: [{ kind: 'Inventory' }], consentMode: 'silent' });
		expect(await acme.api.waitForOperation(after.body.operations[0]!.correlator, finished)).toMatchObject({ resultCode: 1200 });
		expect(agent.events.slice(mark).filter((e) => e.event === 'operation').map((e) => e.correlator)).toEqual([after.body.operations[0]!.correlator]);
		expect(agentInventory(agent, acme.maId)).toEqual([]);
		expect(agent.ledger().results[waiting.correlator]!.result.resultCode).toBe(1462);
		expect(agent.ledger().journal).toEqual([]);
	});

	it('ignores a withdrawal not signed by the MA key; the operation runs when the user accepts', async () => {
		// Marked before the create: the server relays at once, so the prompt may come before the REST answer.
		const mark = agent.mark();
		const created = await acme.api.createOperations({
			deviceIds: [deviceId],
			operations: [{ kind: 'Inventory' }],
			consentMode: 'confirm',
			intent: 'what is installed'
		});
		const op = created.body.operations[0]!;
		await agent.waitAfter(mark, (e) => e.event === 'consent-asked', 'the prompt');
		const keyId = server.ctx.services.signing.keys.current(acme.maId).id;
		const { privateKey } = generateKeyPairSync('ed25519');
		const body = { maId: acme.maId, deviceId, correlators: [op.correlator] };
		const forged = { ...body, keyId, signature: sign(null, Buffer.from(withdrawMessage(body)), privateKey).toString('base64url') };
		const ack = await server.ctx.relay.sendWithdrawal(deviceId, forged);
		expect(ack).toMatchObject({ ok: false, code: 'forbidden' });
		await agent.waitAfter(mark, (e) => e.event === 'withdraw-refused', 'the forged withdrawal to be refused');

		agent.answer('y');
		expect(await acme.api.waitForOperation(op.correlator, finished)).toMatchObject({ status: 'completed', resultCode: 1200 });
		expect(agent.events.slice(mark).some((e) => e.event === 'notice' && e.kind === 'withdrawn')).toBe(false);
	});

	it('refuses to cancel an operation that has finished (conflict)', async () => {
		const created = await acme.api.createOperations({ deviceIds: [deviceId], operations: [{ kind: 'Inventory' }], consentMode: 'silent' });
		const op = await acme.api.waitForOperation(created.body.operations[0]!.correlator, finished);
		expect((await acme.api.cancelOperation(op.correlator)).status).toBe(409);
	});
});
