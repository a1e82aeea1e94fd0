/**
 * The four-eyes setting on the console's settings page (H2): a checkbox, on by default, saved through the
 * settings form (validated with the contract's MaSettingsForm, audited as ma.settings). Turned on, whoever
 * created a high-risk batch is refused with four_eyes_required when they try to approve it; turned off, they
 * may. A real server, the owner signed in with a (software) passkey, the form posted as the page posts it.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server';
import { cookieHeader, getWithJar, ownerFromSetupLink, postJson, storeCookies, type Jar } from '../support/admin-http';
import type { SoftAuthenticator } from '../support/soft-authenticator';
import { TestDevice } from '../support/test-device';
import { createApiToken } from '../../src/lib/server/auth/api-tokens';
import { issueSetupToken, setupPath } from '../../src/lib/server/auth/first-run';

let server: TestServer;
let owner: { auth: SoftAuthenticator; jar: Jar };
let ownerId: string;
let maId: string;
let deviceId: string;

const q = <T>(sql: string, ...args: unknown[]) => server.ctx.store.sqlite.prepare(sql).get(...args) as T;
const stored = () => server.ctx.services.mas.get(maId)!.settings.fourEyes;

/** The settings form as the page posts it (enhanced action); `fourEyes` present = the box is ticked. */
async function saveSettings(fields: { fourEyes: boolean; modes?: string[] }) {
	const body = new URLSearchParams([['name', 'Acme'], ...(fields.modes ?? ['silent', 'confirm']).map((m) => ['allowedConsentModes', m]), ...(fields.fourEyes ? [['fourEyes', 'on']] : [])]);
	const res = await fetch(`${server.url}/admin/settings`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'application/json', 'x-sveltekit-action': 'true', cookie: cookieHeader(owner.jar) },
		body: body.toString(),
		redirect: 'manual'
	});
	storeCookies(owner.jar, res);
	const answer = (await res.json()) as { type: string; status?: number; data?: string };
	return { type: answer.type, status: answer.status, text: answer.data ?? '' };
}

/** A high-risk batch (Inventory is made high-risk for this MA) created by the owner: held for approval. */
function ownersBatch(): string {
	const created = server.ctx.services.operations.create(maId, { type: 'admin', id: ownerId }, { deviceIds: [deviceId], operations: [{ kind: 'Inventory' }], consentMode: 'silent', intent: 'four eyes test' });
	if (!created.ok) throw new Error(created.error.message);
	expect(created.value.approval).toBe('pending');
	return created.value.batchId;
}

const approvalOptions = (batchId: string) => postJson(server.url, '/auth/operation-assertion/options', { batchId }, owner.jar);

beforeAll(async () => {
	server = await startTestServer();
	owner = await ownerFromSetupLink(server.url, setupPath(issueSetupToken(server.ctx.store.db, Date.now()).token), 'Acme');
	({ maId, adminId: ownerId } = q<{ maId: string; adminId: string }>('select ma_id as maId, admin_id as adminId from memberships'));
	const api = server.api(createApiToken(server.ctx.store.db, { maId, scope: 'operate', name: 'test' }, Date.now()).token);
	const device = new TestDevice(server.url);
	expect((await device.enroll((await api.createEnrollmentCode()).body.code)).status).toBe(201);
	deviceId = device.deviceId!;
	server.ctx.services.mas.updateSettings(maId, { type: 'system', id: 'test' }, { highRiskKinds: ['Inventory', 'Remove'] });
	server.ctx.services.signing.trust.invalidate(maId);
});

afterAll(async () => {
	await server?.close();
});

describe('four eyes on the settings page', () => {
	it('shows the checkbox ticked by default, with its meaning in plain words', async () => {
		const page = await (await getWithJar(server.url, '/admin/settings', owner.jar)).text();
		expect(page).toMatch(/<input[^>]*name="fourEyes"[^>]*checked/);
		expect(page).toContain('An operator cannot approve a high-risk batch they created themselves');
		// Saving the form ticked keeps the standing rule (the default applies to fan-outs only).
		expect(await saveSettings({ fourEyes: true })).toMatchObject({ type: 'success' });
		expect(stored()).toBe('fanout');
	});

	it('off: the creator may approve their own batch; on: refused with four_eyes_required; off again: approved', async () => {
		expect(await saveSettings({ fourEyes: false })).toMatchObject({ type: 'success' });
		expect(stored()).toBe('off');
		const audited = q<{ detail: string }>(`select detail from audit_events where action = 'ma.settings' and actor_id = ? order by at desc, id desc limit 1`, ownerId);
		expect(JSON.parse(audited.detail)).toMatchObject({ fourEyes: 'off' });
		const batchId = ownersBatch();
		expect((await approvalOptions(batchId)).status).toBe(200);

		expect(await saveSettings({ fourEyes: true })).toMatchObject({ type: 'success' });
		expect(stored()).toBe('high-risk');
		const refused = await approvalOptions(batchId);
		expect(refused.status).toBe(403);
		expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('four_eyes_required');

		expect(await saveSettings({ fourEyes: false })).toMatchObject({ type: 'success' });
		const options = await approvalOptions(batchId);
		expect(options.status).toBe(200);
		const approved = await postJson(server.url, '/auth/operation-assertion/verify', { batchId, response: owner.auth.assert((await options.json()) as never) }, owner.jar);
		expect(approved.status).toBe(200);
		expect(server.ctx.services.signing.approvals.pending(maId)).toEqual([]);
	});

	it('is validated with the contract schema: a form that allows no consent mode changes nothing', async () => {
		const before = server.ctx.services.mas.get(maId)!.settings;
		const bad = await saveSettings({ fourEyes: true, modes: [] });
		expect(bad).toMatchObject({ type: 'failure', status: 400 });
		expect(bad.text).toContain('Allow at least one consent mode');
		expect(server.ctx.services.mas.get(maId)!.settings).toEqual(before);
	});
});
