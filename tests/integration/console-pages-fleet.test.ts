/**
 * The console's paged lists and its device field over HTTP, as a browser without JavaScript uses them,
 * against the real server: the operations page finds a device by name (several matches are named back, one
 * match is the device), starts an operation on the device a name names, and filters by it; the jobs page
 * pages with a cursor link; an edited cursor shows the first page instead of an error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { startTestServer, type TestServer } from '../support/test-server';
import { TestDevice } from '../support/test-device';
import { firstRunLink } from '../../src/lib/server/auth/first-run';
import { getWithJar, ownerFromSetupLink, postForm, type Jar } from '../support/admin-http';
import type { ApiClient } from '../support/api-client';

let server: TestServer;
let jar: Jar;
let api: ApiClient;
const ids: Record<string, string> = {};

beforeAll(async () => {
	server = await startTestServer();
	const setup = new URL(firstRunLink(server.ctx.store.db, server.url, server.dataDir, server.ctx.clock())!);
	jar = (await ownerFromSetupLink(server.url, setup.pathname + setup.search, 'Acme')).jar;
	const res = await postForm(server.url, '/admin/tokens?/create', { name: 'pages test', scope: 'operate' }, jar);
	const token = /scomo_[A-Za-z0-9_-]{20,}/.exec(await res.text())?.[0];
	expect(token).toBeTruthy();
	api = server.api(token!);
	for (const label of ['Lobby kiosk', 'Lobby tablet', 'Reception screen']) {
		const code = await api.createEnrollmentCode({ label });
		const d = new TestDevice(server.url);
		expect((await d.enroll(code.body.code)).status).toBe(201);
		ids[label] = d.deviceId!;
	}
	// 53 jobs: more than one page of the jobs list (50).
	for (let i = 0; i < 53; i++) expect((await api.createOperations({ deviceIds: [ids['Reception screen']!], operations: [{ kind: 'Inventory' }], intent: `job ${i}` })).status).toBe(202);
}, 180_000);

afterAll(async () => {
	await server?.close();
	if (server) rmSync(server.dataDir, { recursive: true, force: true });
});

const page = async (path: string) => {
	const res = await getWithJar(server.url, path, jar);
	expect(res.status, path).toBe(200);
	return res.text();
};

describe('console pages at fleet size', () => {
	it('the operations page names several matches back, and one match is the device', async () => {
		const several = await page('/admin/operations?device=Lobby');
		expect(several).toContain('2 devices match');
		expect(several).toContain('Lobby kiosk');
		expect(several).toContain('Lobby tablet');
		const one = await page(`/admin/operations?device=${encodeURIComponent('Reception')}`);
		expect(one).toContain('Operations of <strong>Reception screen</strong>');
	});

	it('starts an operation on the device a name names; an ambiguous name is refused with the candidates', async () => {
		const ambiguous = await postForm(server.url, '/admin/operations?/create', { deviceRef: 'Lobby', kind: 'Inventory', consentMode: 'silent', intent: 'check' }, jar);
		const text = await ambiguous.text();
		expect(ambiguous.status).toBe(400);
		expect(text).toContain('2 devices match');
		expect((await api.listOperations({ deviceId: ids['Lobby kiosk']! })).body.total).toBe(0);
		const ok = await postForm(server.url, '/admin/operations?/create', { deviceRef: 'lobby KIOSK', kind: 'Inventory', consentMode: 'silent', intent: 'check' }, jar);
		expect(ok.status).toBe(200);
		const ops = await api.listOperations({ deviceId: ids['Lobby kiosk']! });
		expect(ops.body.items.map((o) => o.kind)).toEqual(['Inventory']);
		const byId = await postForm(server.url, '/admin/operations?/create', { deviceRef: ids['Lobby tablet']!, kind: 'Inventory', consentMode: 'silent', intent: 'check' }, jar);
		expect(byId.status).toBe(200);
		expect((await api.listOperations({ deviceId: ids['Lobby tablet']! })).body.total).toBe(1);
	});

	it('the jobs page pages with a cursor link, and an edited cursor shows the first page', async () => {
		const first = await page('/admin/jobs');
		// 53 made above, and the two the test before started.
		expect(first).toContain('50 shown of 55 jobs');
		const next = /href="(\/admin\/jobs\?cursor=[A-Za-z0-9_-]+)"/.exec(first)?.[1];
		expect(next).toBeTruthy();
		const second = await page(next!.replaceAll('&amp;', '&'));
		expect(second).toContain('5 shown of 55 jobs');
		expect(second).toContain('First page');
		expect(second).not.toContain('Next page');
		const edited = await page('/admin/jobs?cursor=not-ours');
		expect(edited).toContain('50 shown of 55 jobs');
	});
});
