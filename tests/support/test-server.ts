/**
 * The real server in this test process (startServer: HTTP + SvelteKit handler from build/ + socket.io)
 * on a random port with a temp data directory, plus an MA created through the admin CLI.
 * Each server has its own app (store, services), so a file may start several.
 */
import { tempDir } from './cleanup';
import { parseConfig } from '../../src/lib/server/config';
import { startServer, type RunningServer } from '../../src/lib/server/start';
import { ApiClient } from './api-client';
import { createMa, type CreatedMa } from './admin-cli';

export type TestServer = RunningServer & { dataDir: string; api(token: string | null): ApiClient };

export async function startTestServer(env: Record<string, string> = {}, opts: { clock?: () => number } = {}): Promise<TestServer> {
	const dataDir = tempDir('scomo-api-');
	const config = parseConfig({ SCOMO_PORT: '0', SCOMO_DATA_DIR: dataDir, SCOMO_LOG_LEVEL: 'silent', ...env });
	const server = await startServer(config, opts);
	return Object.assign(server, { dataDir, api: (token: string | null) => new ApiClient(server.url, token) });
}

/** A new MA with its operate token and an API client for it. */
export function newMa(server: TestServer, name: string): CreatedMa & { api: ApiClient } {
	const ma = createMa(server.dataDir, name);
	return { ...ma, api: server.api(ma.token) };
}

export const manifest = (id: string, version: string, extra: Record<string, unknown> = {}) => ({
	id,
	name: `Component ${id}`,
	version,
	description: 'a test component',
	permissions: ['storage'],
	compatibleBaselines: ['*'],
	entry: 'main.js',
	...extra
});

export const bundle = (text = 'ok') => `export default { start() { return ${JSON.stringify(text)}; } };\n`;
