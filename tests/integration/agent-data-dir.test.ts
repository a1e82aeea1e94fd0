/**
 * The headless agent keeps its secrets to itself: the data directory it creates is mode 0700 and every file
 * it writes there (device signing key, encryption key, identity, and later its ledger) is mode 0600 (agent/README.md).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { startTestServer, newMa, type TestServer } from '../support/test-server';
import { startAgent, type AgentProcess } from '../support/agent-process';
import { tempDir } from '../support/server-process';

let server: TestServer;
let parent: string;
let agent: AgentProcess | null = null;

beforeAll(async () => {
	server = await startTestServer();
	parent = tempDir('scomo-agent-parent-');
});
afterAll(async () => {
	await agent?.kill();
	await server?.close();
	if (server) rmSync(server.dataDir, { recursive: true, force: true });
	if (parent) rmSync(parent, { recursive: true, force: true });
});

const mode = (file: string) => statSync(file).mode & 0o777;

describe('agent data directory', () => {
	it('is created with mode 0700 and holds only files of mode 0600', async () => {
		const acme = newMa(server, 'Acme');
		const code = (await acme.api.createEnrollmentCode({ label: 'files' })).body.code;
		// A folder that does not exist yet, two levels deep: the agent creates it.
		const dataDir = path.join(parent, 'devices', 'kiosk-1');
		agent = startAgent({ server: server.url, enroll: code, dataDir });
		await agent.waitEvent('enrolled');
		await agent.waitEvent('connected');

		expect(mode(dataDir)).toBe(0o700);
		const files = readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
		const names = files.map((f) => path.relative(dataDir, path.join(f.parentPath, f.name))).sort();
		expect(names).toEqual(expect.arrayContaining(['device-key.pem', 'encryption-key.pem', 'identity.json']));
		for (const name of names) expect({ name, mode: mode(path.join(dataDir, name)).toString(8) }).toEqual({ name, mode: '600' });
	});
});
