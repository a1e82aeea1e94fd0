/**
 * Results never go back in time. A real agent numbers every result and state change with its report
 * sequence (committed with the change); the server applies a component's entry only when it is newer than
 * the last one it applied, so results and reports delivered reordered or twice never put the inventory back.
 *
 * The reordering itself (what a reconnect under load did: a Stop's entry overwrote a later Start's) is
 * replayed deterministically: the agent is stopped, and the test speaks for it over the real /device
 * namespace with the agent's own key (real signatures), delivering its Start and Stop results reversed and
 * twice, a stale state change and a stale inventory report.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { deviceAuthMessage, type CommandSetMsg } from '../../src/lib/contract';
import { resultMessage } from '../../src/lib/core/envelope';
import { startTestServer, newMa, type TestServer } from '../support/test-server';
import { agentInventory, examplePackage, startAgent, type AgentProcess } from '../support/agent-process';
import type { OperationView } from '../support/api-client';

const CLOCK = 'com.example.clock';

let server: TestServer;
let acme: ReturnType<typeof newMa>;
let agent: AgentProcess;
let deviceId: string;

const finished = (o: OperationView) => ['completed', 'failed', 'expired', 'cancelled'].includes(o.status);
const deployed = (operational: string) => ({ stage: 'deployed', componentId: CLOCK, version: '1.0.0', state: 'Active', operational });

async function run(kind: 'DownloadInstall' | 'Start' | 'Stop') {
	const created = await acme.api.createOperations({ deviceIds: [deviceId], operations: [{ kind, componentId: CLOCK }] });
	return acme.api.waitForOperation(created.body.operations[0]!.correlator, finished);
}

async function serverState() {
	const items = (await acme.api.getInventory(deviceId)).body.items;
	return items.map((c) => `${c.componentId} ${c.operational}`);
}

/** The agent's identity on the wire, driven by the test: its device ID and its own key file. */
class AgentVoice {
	readonly commands: CommandSetMsg[] = [];
	private socket!: Socket;
	private readonly key: KeyObject;

	constructor(dataDir: string) {
		this.key = createPrivateKey(readFileSync(path.join(dataDir, 'device-key.pem'), 'utf8'));
	}

	async connect(): Promise<void> {
		this.socket = io(`${server.url}/device`, { transports: ['websocket'], reconnection: false, forceNew: true });
		this.socket.on('commands', (set: CommandSetMsg, ack: (r: unknown) => void) => {
			this.commands.push(set);
			ack({ ok: true, accepted: set.operations.map((o) => o.correlator) });
		});
		const nonce = await new Promise<string>((resolve) => this.socket.once('auth:challenge', (c: { nonce: string }) => resolve(c.nonce)));
		const signature = this.sign(deviceAuthMessage(nonce, deviceId, server.url));
		expect(await this.emit('auth:prove', { deviceId, signature })).toMatchObject({ ok: true });
	}

	sign(message: string): string {
		return sign(null, Buffer.from(message, 'utf8'), this.key).toString('base64url');
	}

	emit(event: string, payload: unknown): Promise<{ ok: boolean; duplicate?: boolean }> {
		return this.socket.timeout(10_000).emitWithAck(event, payload);
	}

	result(correlator: string, seq: number, operational: string) {
		const payload = { correlator, resultCode: 1200, message: '', componentId: CLOCK, entry: deployed(operational), completedAt: Date.now(), seq };
		return this.emit('result', { ...payload, signature: this.sign(resultMessage(deviceId, payload)) });
	}

	close(): void {
		this.socket.close();
	}
}

beforeAll(async () => {
	server = await startTestServer();
	acme = newMa(server, 'Acme');
	const p = examplePackage(CLOCK, '1.0.0');
	expect((await acme.api.uploadPackage(p.manifest, p.bundle)).status).toBe(201);
	const code = (await acme.api.createEnrollmentCode()).body.code;
	agent = startAgent({ server: server.url, enroll: code, consent: { default: 'accept' } });
	deviceId = String((await agent.waitEvent('enrolled')).deviceId);
	await agent.waitEvent('connected');
});

afterAll(async () => {
	await agent?.kill();
	await server?.close();
});

describe('results never go back in time', () => {
	it('the real agent numbers its results in the order it recorded them', async () => {
		const ops = [await run('DownloadInstall'), await run('Start'), await run('Stop')];
		for (const op of ops) expect(op).toMatchObject({ status: 'completed', resultCode: 1200 });
		const ledger = agent.ledger();
		const seqs = ops.map((o) => ledger.results[o.correlator]!.result.seq!);
		expect(seqs.every((s) => Number.isInteger(s))).toBe(true);
		expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
		expect(new Set(seqs).size).toBe(3);
		expect(ledger.seq).toBeGreaterThanOrEqual(seqs[2]!);
		expect(await serverState()).toEqual([`${CLOCK} Stopped`]);
		expect(agentInventory(agent, acme.maId)[0]).toMatchObject({ operational: 'Stopped' });
	});

	it('a Start result delivered after the later Stop, duplicates, a stale state change and a stale report change nothing', async () => {
		const n = agent.ledger().seq ?? 0;
		await agent.kill();
		const start = (await acme.api.createOperations({ deviceIds: [deviceId], operations: [{ kind: 'Start', componentId: CLOCK }] })).body.operations[0]!;
		const stop = (await acme.api.createOperations({ deviceIds: [deviceId], operations: [{ kind: 'Stop', componentId: CLOCK }] })).body.operations[0]!;

		const voice = new AgentVoice(agent.dataDir);
		try {
			await voice.connect();
			await acme.api.waitForOperation(stop.correlator, (o) => o.status === 'delivered');
			// The device ran Start (n+1, Running) then Stop (n+2, Stopped); the results arrive the other way round.
			expect(await voice.result(stop.correlator, n + 2, 'Stopped')).toMatchObject({ ok: true, duplicate: false });
			expect(await voice.result(start.correlator, n + 1, 'Running')).toMatchObject({ ok: true, duplicate: false });
			expect(await serverState()).toEqual([`${CLOCK} Stopped`]);
			// Both results are recorded as the operations' outcomes all the same.
			expect(await acme.api.waitForOperation(start.correlator, finished)).toMatchObject({ status: 'completed', resultCode: 1200 });

			// Delivered twice: answered duplicate, nothing changes.
			expect(await voice.result(start.correlator, n + 1, 'Running')).toMatchObject({ ok: true, duplicate: true });
			expect(await voice.result(stop.correlator, n + 2, 'Stopped')).toMatchObject({ ok: true, duplicate: true });
			// A state change and a full report from before the Stop, delivered late: ignored.
			expect(await voice.emit('component:state', { componentId: CLOCK, operational: 'Running', message: '', seq: n + 1 })).toMatchObject({ ok: true });
			expect(await voice.emit('inventory', { components: [deployed('Running')], seq: n + 1 })).toMatchObject({ ok: true });
			expect(await serverState()).toEqual([`${CLOCK} Stopped`]);

			// A newer report is applied (the sequence orders reports, it does not freeze them).
			expect(await voice.emit('inventory', { components: [deployed('Failed')], seq: n + 3 })).toMatchObject({ ok: true });
			expect(await serverState()).toEqual([`${CLOCK} Failed`]);
			// And the same report again is harmless.
			expect(await voice.emit('inventory', { components: [deployed('Failed')], seq: n + 3 })).toMatchObject({ ok: true });
			expect(await serverState()).toEqual([`${CLOCK} Failed`]);
		} finally {
			voice.close();
		}
	});
});
