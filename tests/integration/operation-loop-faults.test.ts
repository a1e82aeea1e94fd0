/**
 * Delivery that loses nothing, with real processes: an agent that is offline when the operation is created,
 * a server killed (SIGKILL) between relay and result, an agent killed (SIGKILL) mid-install. Each ends with
 * exactly one recorded result and matching inventories.
 *
 * "The same result sent twice is stored once" is covered at the protocol level by
 * tests/integration/device-protocol-restart.test.ts (a scripted device sends one result twice); here the real
 * agent re-sends a result after the server restart and the audit trail still holds it once.
 */
import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startServerProcess, tempDir, type ServerProcess } from '../support/server-process';
import { createMa, type CreatedMa } from '../support/admin-cli';
import { ApiClient, type OperationView } from '../support/api-client';
import { agentBundlePath, agentInventory, examplePackage, startAgent, type AgentProcess } from '../support/agent-process';
import { FAULT_ENV } from '../../agent/fault-injection';

const CLOCK = 'com.example.clock';
const TERMINAL = ['completed', 'failed', 'expired', 'cancelled'];

type World = { dataDir: string; server: ServerProcess; ma: CreatedMa; api: ApiClient; port: string };

/** A server on a fixed port (the origin the device signs stays the same across restarts) with clock 1.0.0 uploaded. */
async function world(): Promise<World> {
	const dataDir = tempDir();
	const ma = createMa(dataDir, 'Acme');
	const probe = await startServerProcess({ dataDir });
	const port = new URL(probe.url).port;
	await probe.kill();
	const server = await startServerProcess({ dataDir, env: { SCOMO_PORT: port } });
	const api = new ApiClient(server.url, ma.token);
	const p = examplePackage(CLOCK, '1.0.0');
	expect((await api.uploadPackage(p.manifest, p.bundle)).status).toBe(201);
	return { dataDir, server, ma, api, port };
}

async function enrolledAgent(w: World, opts: Parameters<typeof startAgent>[0] = {}) {
	const code = (await w.api.createEnrollmentCode()).body.code;
	const agent = startAgent({ server: w.server.url, enroll: code, consent: { default: 'accept' }, ...opts });
	const deviceId = String((await agent.waitEvent('enrolled')).deviceId);
	await agent.waitEvent('connected');
	return { agent, deviceId };
}

async function create(w: World, deviceId: string, kind: string, consentMode = 'silent'): Promise<string> {
	const r = await w.api.createOperations({
		deviceIds: [deviceId],
		operations: [{ kind, componentId: CLOCK }] as never,
		consentMode: consentMode as never
	});
	expect(r.status).toBe(202);
	return r.body.operations[0]!.correlator;
}

const finished = (w: World, correlator: string) => w.api.waitForOperation(correlator, (o) => TERMINAL.includes(o.status));

async function expectInventoriesMatch(w: World, agent: AgentProcess, deviceId: string) {
	const r = await w.api.getInventory(deviceId);
	const server = r.body.items
		.map(({ componentId, stage, version, state, operational }) => ({ componentId, stage, version, state, operational }))
		.sort((a, b) => a.componentId.localeCompare(b.componentId));
	expect(server).toEqual(agentInventory(agent, w.ma.maId));
}

function resultAudits(dataDir: string, op: OperationView): number {
	const db = new Database(path.join(dataDir, 'scomo.db'), { readonly: true });
	try {
		const row = db
			.prepare("select count(*) as n from audit_events where action = 'operation.result' and target_id = ?")
			.get(op.id) as { n: number };
		return row.n;
	} finally {
		db.close();
	}
}

describe('delivery faults with real processes', () => {
	it('an agent that is offline when the operation is created receives it when it connects', async () => {
		const w = await world();
		let agent: AgentProcess | null = null;
		try {
			const first = await enrolledAgent(w);
			const deviceId = first.deviceId;
			expect(await first.agent.kill('SIGTERM')).toBe(0);

			const correlator = await create(w, deviceId, 'DownloadInstall');
			expect((await w.api.getOperation(correlator)).body.status).toBe('queued');

			agent = startAgent({ dataDir: first.agent.dataDir });
			await agent.waitEvent('connected');
			expect(await finished(w, correlator)).toMatchObject({ status: 'completed', resultCode: 1200 });
			await expectInventoriesMatch(w, agent, deviceId);
		} finally {
			await agent?.kill();
			await w.server.kill();
		}
	});

	it('the server killed between relay and result: after its restart the result is recorded once', async () => {
		const w = await world();
		let agent: AgentProcess | null = null;
		try {
			const enrolled = await enrolledAgent(w, { consent: { default: 'prompt' }, promptStdin: true });
			agent = enrolled.agent;
			const { deviceId } = enrolled;
			expect((await finished(w, await create(w, deviceId, 'DownloadInstall'))).resultCode).toBe(1200);

			// A Start that needs the user's confirmation: relayed, acked, and held at the prompt.
			const correlator = await create(w, deviceId, 'Start', 'confirm');
			await agent.waitEvent('consent-asked');
			await w.api.waitForOperation(correlator, (o) => o.status === 'awaiting-consent');

			await w.server.kill('SIGKILL');
			await agent.waitEvent('disconnected');
			// The user accepts while the server is down: the component starts, the result waits in the outbox.
			const mark = agent.mark();
			agent.answer('y');
			await agent.waitAfter(mark, (e) => e.event === 'operation' && e.correlator === correlator, 'the Start to finish');
			expect(agent.ledger().results[correlator]).toMatchObject({ acked: false, result: { resultCode: 1200 } });

			const restartMark = agent.mark();
			w.server = await startServerProcess({ dataDir: w.dataDir, env: { SCOMO_PORT: w.port } });
			w.api = new ApiClient(w.server.url, w.ma.token);
			const op = await finished(w, correlator);
			expect(op).toMatchObject({ status: 'completed', resultCode: 1200 });
			// Whether the outbox result or the server's re-relay of the unfinished set comes first, the agent
			// answers from its stored result: the component is started once, the result stored once.
			await agent.waitAfter(restartMark, (e) => e.event === 'connected', 'the reconnection');
			await agent.waitAfter(
				restartMark,
				(e) => e.event === 'result-sent' && e.correlator === correlator && e.outcome === 'acked',
				'the result to be acked'
			);
			expect(agent.events.filter((e) => e.event === 'component-log' && e.text === 'clock 1.0.0 started')).toHaveLength(1);
			expect(resultAudits(w.dataDir, op)).toBe(1);
			await expectInventoriesMatch(w, agent, deviceId);
		} finally {
			await agent?.kill();
			await w.server.kill();
		}
	});

	it('the agent killed mid-install: after its restart it reports a definite result', async () => {
		const w = await world();
		let agent: AgentProcess | null = null;
		try {
			const paused = await enrolledAgent(w, { env: { [FAULT_ENV]: 'pause-after-package-store' } });
			const { deviceId } = paused;
			const correlator = await create(w, deviceId, 'DownloadInstall');
			// Downloaded, verified and stored; the inventory entry and the result not yet committed.
			await paused.agent.waitEvent('fault-paused');
			await paused.agent.kill('SIGKILL');
			const ledger = paused.agent.ledger();
			expect(ledger.journal.map((e) => e.set.operations[0]!.correlator)).toEqual([correlator]);
			expect(ledger.results[correlator]).toBeUndefined();
			expect(ledger.inventory).toEqual([]);
			expect(existsSync(agentBundlePath(paused.agent, w.ma.maId, CLOCK, '1.0.0'))).toBe(true);
			expect(TERMINAL).not.toContain((await w.api.getOperation(correlator)).body.status);

			agent = startAgent({ dataDir: paused.agent.dataDir });
			const op = await finished(w, correlator);
			expect(op).toMatchObject({ status: 'completed', resultCode: 1200 });
			await agent.waitFor(
				(e) => e.event === 'result-sent' && e.correlator === correlator && e.outcome === 'acked',
				'the result to be acked'
			);
			// The journal entry is dropped after the ack, in the agent's next durable write: wait for it.
			await expect.poll(() => agent!.ledger().journal, { timeout: 15_000 }).toEqual([]);
			expect(resultAudits(w.dataDir, op)).toBe(1);
			await expectInventoriesMatch(w, agent, deviceId);
		} finally {
			await agent?.kill();
			await w.server.kill();
		}
	});
});
