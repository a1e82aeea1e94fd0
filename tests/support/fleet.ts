/**
 * The fixture most integration tests start from: the real server on a random port, one MA made through the
 * admin CLI, its example packages uploaded through the REST API, and a real agent process enrolled with an
 * enrollment code and connected. close() stops the agent, then the server.
 */
import { expect } from 'vitest';
import { startTestServer, newMa, type TestServer } from './test-server';
import { examplePackage, startAgent, type AgentOptions, type AgentProcess } from './agent-process';
import type { OperationView } from './api-client';
import type { CreateOperationsBody } from '../../src/lib/contract/rest';

export type Fleet = {
	server: TestServer;
	ma: ReturnType<typeof newMa>;
	agent: AgentProcess;
	deviceId: string;
	close(): Promise<void>;
};

export type FleetOptions = {
	maName?: string;
	/** Example packages (examples/components/<id>/<version>) to upload before the agent enrolls. */
	packages?: [componentId: string, version: string][];
	consent?: AgentOptions['consent'];
	serverEnv?: Record<string, string>;
};

export const isFinished = (o: OperationView) => ['completed', 'failed', 'expired', 'cancelled'].includes(o.status);

export async function startFleet(options: FleetOptions = {}): Promise<Fleet> {
	const server = await startTestServer(options.serverEnv);
	const ma = newMa(server, options.maName ?? 'Acme');
	for (const [id, version] of options.packages ?? []) {
		const p = examplePackage(id, version);
		expect((await ma.api.uploadPackage(p.manifest, p.bundle)).status).toBe(201);
	}
	const code = (await ma.api.createEnrollmentCode()).body.code;
	const agent = startAgent({ server: server.url, enroll: code, consent: options.consent ?? { default: 'accept' } });
	const deviceId = String((await agent.waitEvent('enrolled')).deviceId);
	await agent.waitEvent('connected');
	return {
		server,
		ma,
		agent,
		deviceId,
		async close() {
			await agent.kill();
			await server.close();
		}
	};
}

/** Creates one operation on one device and waits until it has ended. */
export async function runOperation(fleet: Fleet, step: CreateOperationsBody['operations'][number]) {
	const created = await fleet.ma.api.createOperations({ deviceIds: [fleet.deviceId], operations: [step] });
	expect(created.status).toBe(202);
	return fleet.ma.api.waitForOperation(created.body.operations[0]!.correlator, isFinished);
}
