/**
 * Passkey-bound operations end to end (SCOMO-SEC-02): an owner signed in with a real passkey (Chromium's
 * virtual authenticator), a headless agent enrolled with the MA, a Remove created through the REST API.
 * The Remove is held on the server (high-risk: Remove by default) while later commands still flow; it reaches
 * the device only after the owner approves it on /admin/high-risk with the passkey, whose assertion over the
 * batch digest the agent verifies itself before removing anything.
 */
import { test, expect } from '@playwright/test';
import { createMaWithOwner, gotoHydrated, E2E_DATA_DIR } from './support/auth';
import { agentInventory, examplePackage, startAgent, type AgentProcess } from '../support/agent-process';
import { ApiClient, type OperationView } from '../support/api-client';
import { createToken } from '../support/admin-cli';

import { E2E_ORIGIN as BASE_URL } from './support/origin';
// Component IDs are unique across MAs and every e2e file shares one server: a name of our own.
const CLOCK = `com.example.clock.sec${Date.now().toString(36)}`;
const terminal = (o: OperationView) => ['completed', 'failed', 'expired', 'cancelled'].includes(o.status);

let agent: AgentProcess | null = null;

test.afterEach(async () => {
	await agent?.kill();
	agent = null;
});

async function run(api: ApiClient, deviceId: string, kind: 'DownloadInstall' | 'Start' | 'Stop') {
	const created = await api.createOperations({ deviceIds: [deviceId], operations: [{ kind, componentId: CLOCK }], consentMode: 'silent', intent: 'e2e' });
	expect(created.status, JSON.stringify(created.body)).toBe(202);
	return api.waitForOperation(created.body.operations[0]!.correlator, terminal);
}

test('a passkey-bound Remove reaches the device only with the administrator’s passkey assertion', async ({ page }) => {
	const owner = await createMaWithOwner(page);
	const api = new ApiClient(BASE_URL, createToken(E2E_DATA_DIR, owner.maId, 'operate', 'security-e2e').token);
	const clock = examplePackage('com.example.clock', '1.0.0');
	const uploaded = await api.uploadPackage({ ...clock.manifest, id: CLOCK }, clock.bundle);
	expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
	const code = await api.createEnrollmentCode({ label: 'security e2e' });
	agent = startAgent({ server: BASE_URL, enroll: code.body.code, consent: { default: 'accept' } });
	const deviceId = String((await agent.waitEvent('enrolled')).deviceId);
	await agent.waitEvent('connected');
	expect(await run(api, deviceId, 'DownloadInstall')).toMatchObject({ status: 'completed', resultCode: 1200 });

	// The Remove is accepted and persisted, but held: it needs the owner's passkey.
	const removal = await api.createOperations({ deviceIds: [deviceId], operations: [{ kind: 'Remove', componentId: CLOCK }], intent: 'retire the clock' });
	expect(removal.status).toBe(202);
	expect(removal.body).toMatchObject({ approval: 'pending' });
	const correlator = removal.body.operations[0]!.correlator;

	// Commands created after it still reach the online device; the Remove does not.
	expect(await run(api, deviceId, 'Start')).toMatchObject({ status: 'completed', resultCode: 1200 });
	expect((await api.getOperation(correlator)).body.status).toBe('queued');
	expect(agent.events.some((e) => e.event === 'commands' && (e.correlators as string[]).includes(correlator))).toBe(false);
	expect(agentInventory(agent, owner.maId)).toHaveLength(1);

	// The owner reviews it and approves with the passkey (the virtual authenticator signs the batch digest).
	await gotoHydrated(page, '/admin/high-risk');
	const pending = page.locator(`[data-batch-id="${removal.body.batchId}"]`);
	await expect(pending).toContainText('Remove');
	await expect(pending).toContainText(CLOCK);
	await expect(pending).toContainText('retire the clock');
	await page.setViewportSize({ width: 390, height: 844 });
	await page.screenshot({ path: 'tests/e2e/screenshots/security-approvals-390.png', fullPage: true });
	const signCountBefore = (await owner.authenticator.credentials())[0]!.signCount;
	await pending.getByRole('button', { name: 'Approve with my passkey' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Approved' })).toBeVisible();
	expect((await owner.authenticator.credentials())[0]!.signCount).toBeGreaterThan(signCountBefore);

	// Now it reaches the device, which verifies the assertion itself and removes the component.
	const done = await api.waitForOperation(correlator, terminal);
	expect(done).toMatchObject({ status: 'completed', resultCode: 1200 });
	expect(agentInventory(agent, owner.maId)).toEqual([]);
	expect(agent.events.some((e) => e.event === 'command-rejected')).toBe(false);
	await expect(page.getByTestId('no-pending')).toBeVisible();
});
