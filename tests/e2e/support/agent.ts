/**
 * A real headless agent for the e2e tests: the same child process the integration tests run
 * (tests/support/agent-process.ts, `node --import tsx agent/cli.ts`), pointed at the e2e server, with a
 * consent policy file. Every agent started here is stopped by `stopAgents()` (call it in afterEach).
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { startAgent, type AgentProcess, type AgentOptions } from '../../support/agent-process';
import { PROJECT_ROOT } from '../../support/server-process';

/** The e2e server's origin: the device signs its connection proof over it, so it must be the configured one. */
import { E2E_ORIGIN } from './origin';
export { E2E_ORIGIN };

const running = new Set<AgentProcess>();

/** Enroll a new agent with `code` and keep it running; resolves once it has authenticated on the server's /device namespace. */
export async function enrollAgent(
	code: string,
	opts: Omit<AgentOptions, 'server' | 'enroll'> = {}
): Promise<{ agent: AgentProcess; deviceId: string }> {
	const agent = startAgent({ server: E2E_ORIGIN, enroll: code, consent: { default: 'accept' }, ...opts });
	running.add(agent);
	const enrolled = await agent.waitEvent('enrolled');
	await agent.waitEvent('connected');
	return { agent, deviceId: String(enrolled.deviceId) };
}

/** Start an enrolled agent again on its data directory (same identity, outbox and components). */
export async function restartAgent(dataDir: string, opts: Omit<AgentOptions, 'server' | 'enroll' | 'dataDir'> = {}): Promise<AgentProcess> {
	const agent = startAgent({ server: E2E_ORIGIN, dataDir, consent: { default: 'accept' }, ...opts });
	running.add(agent);
	await agent.waitEvent('connected');
	return agent;
}

/** Every running agent's output (JSON event lines and errors), for a failed test's report. */
export function agentOutputs(): string {
	return [...running].map((a) => `--- agent ${a.dataDir}\n${a.output().slice(-6000)}`).join('\n');
}

export async function stopAgents(): Promise<void> {
	await Promise.all([...running].map((a) => a.kill()));
	running.clear();
}

/** Paths of an example package (examples/components/<id>/<version>/): for the upload form's file inputs. */
export function examplePackageFiles(componentId: string, version: string): { manifest: string; bundle: string } {
	const dir = path.join(PROJECT_ROOT, 'examples/components', componentId, version);
	const manifest = path.join(dir, 'manifest.json');
	const entry = (JSON.parse(readFileSync(manifest, 'utf8')) as { entry: string }).entry;
	return { manifest, bundle: path.join(dir, entry) };
}
