/**
 * Who may approve a high-risk batch (SCOMO-SEC-02), over HTTP on the real server with real passkeys: a viewer
 * of the MA is refused both the approval options and the approval itself, even with an assertion of their
 * own passkey over the right challenge, and the batch stays pending; the owner then approves it.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { rmSync } from 'node:fs';
import { startTestServer, manifest, bundle, type TestServer } from '../support/test-server';
import { ownerFromSetupLink, postForm, postJson, registerOverHttp, type Jar } from '../support/admin-http';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { TestDevice } from '../support/test-device';
import { firstRunLink } from '../../src/lib/server/auth/first-run';

let server: TestServer;

beforeAll(async () => {
	server = await startTestServer();
});
afterAll(async () => {
	await server?.close();
	if (server) rmSync(server.dataDir, { recursive: true, force: true });
});

/** An invitation link made by the owner on the Members page, as the form posts it. */
async function invite(ownerJar: Jar, role: 'viewer' | 'operator'): Promise<string> {
	const res = await postForm(server.url, '/admin/members?/invite', { role, expiresInHours: '168', label: role }, ownerJar);
	const html = await res.text();
	const token = /\/invite\/([A-Za-z0-9_-]{20,})/.exec(html)?.[1];
	if (!token) throw new Error(`no invitation link in the Members page (${res.status})`);
	return token;
}

/** An operate API token made by the owner on the Tokens page (shown once in the page). */
async function operateToken(ownerJar: Jar): Promise<string> {
	const res = await postForm(server.url, '/admin/tokens?/create', { name: 'roles test', scope: 'operate' }, ownerJar);
	const token = /scomo_[A-Za-z0-9_-]{20,}/.exec(await res.text())?.[0];
	if (!token) throw new Error(`no token in the Tokens page (${res.status})`);
	return token;
}

describe('approving a high-risk batch', () => {
	it('refuses a viewer (options and approval) and keeps the batch pending; the owner approves it', async () => {
		const setup = new URL(firstRunLink(server.ctx.store.db, server.url, server.dataDir, server.ctx.clock())!);
		const owner = await ownerFromSetupLink(server.url, setup.pathname + setup.search, 'Acme');
		const { id: maId } = server.ctx.store.sqlite.prepare('select id from management_authorities').get() as { id: string };

		const viewerAuth = new SoftAuthenticator(server.url);
		const viewerJar: Jar = new Map();
		const joined = await registerOverHttp(server.url, { kind: 'invite', token: await invite(owner.jar, 'viewer'), displayName: 'Vera' }, viewerAuth, viewerJar);
		expect(joined.status).toBe(200);

		// A Remove (high-risk by default) for an enrolled device: held until a passkey approves it.
		const api = server.api(await operateToken(owner.jar));
		expect((await api.uploadPackage(manifest('com.acme.clock', '1.0.0'), bundle())).status).toBe(201);
		const code = await api.createEnrollmentCode({ label: 'roles' });
		const device = new TestDevice(server.url);
		expect((await device.enroll(code.body.code)).status).toBe(201);
		const created = await api.createOperations({ deviceIds: [device.deviceId!], operations: [{ kind: 'Remove', componentId: 'com.acme.clock' }] });
		expect(created.status).toBe(202);
		expect(created.body).toMatchObject({ approval: 'pending' });
		const { batchId } = created.body;

		const viewerOptions = await postJson(server.url, '/auth/operation-assertion/options', { batchId }, viewerJar);
		expect(viewerOptions.status).toBe(403);
		expect((await viewerOptions.json()).error.code).toBe('forbidden');

		// The viewer signs the right challenge (taken from the owner's options) with their own passkey: still refused.
		const ownerOptions = await postJson(server.url, '/auth/operation-assertion/options', { batchId }, owner.jar);
		expect(ownerOptions.status).toBe(200);
		const { challenge, rpId } = (await ownerOptions.json()) as { challenge: string; rpId: string };
		const viewerAssertion = viewerAuth.assert({ challenge, rpId });
		const viewerVerify = await postJson(server.url, '/auth/operation-assertion/verify', { batchId, response: viewerAssertion }, viewerJar);
		expect(viewerVerify.status).toBe(403);
		expect((await viewerVerify.json()).error.code).toBe('forbidden');
		expect(server.ctx.services.signing.approvals.pending(maId).map((p) => p.batchId)).toEqual([batchId]);

		// The owner's own assertion over the same challenge approves it.
		const ownerVerify = await postJson(server.url, '/auth/operation-assertion/verify', { batchId, response: owner.auth.assert({ challenge, rpId }) }, owner.jar);
		expect(ownerVerify.status).toBe(200);
		expect(server.ctx.services.signing.approvals.pending(maId)).toEqual([]);
	});
});
