/**
 * A new approver reaches the devices only through an owner's passkey (issue #13, H1/H2), in Chromium with
 * virtual authenticators and a real headless agent: an operator joins through an invitation; the console
 * tells the owner; the owner approves the change on /admin/high-risk with the passkey the agent already
 * trusts; the agent takes the co-signed statement (and with it the operator's passkey) with its next command.
 */
import { test, expect } from '@playwright/test';
import { addAdmin, createMaWithOwner, gotoHydrated, E2E_DATA_DIR } from './support/auth';
import { startAgent, type AgentProcess } from '../support/agent-process';
import { ApiClient, type OperationView } from '../support/api-client';
import { createToken } from '../support/admin-cli';

const BASE_URL = `http://localhost:${process.env.E2E_PORT ?? 4317}`;
const terminal = (o: OperationView) => ['completed', 'failed', 'expired', 'cancelled'].includes(o.status);

let agent: AgentProcess | null = null;

test.afterEach(async () => {
	await agent?.kill();
	agent = null;
});

test('an operator’s passkey becomes an approver only after the owner co-signs it; the agent verifies that itself', async ({ page, browser }) => {
	// Two passkey holders, a real agent and three approvals' worth of round trips: more than the default minute.
	test.setTimeout(180_000);
	const owner = await createMaWithOwner(page);
	const api = new ApiClient(BASE_URL, createToken(E2E_DATA_DIR, owner.maId, 'operate', 'trust-e2e').token);
	const code = await api.createEnrollmentCode({ label: 'trust e2e' });
	agent = startAgent({ server: BASE_URL, enroll: code.body.code, consent: { default: 'accept' } });
	const deviceId = String((await agent.waitEvent('enrolled')).deviceId);
	await agent.waitEvent('connected');
	const inventory = async () => {
		const created = await api.createOperations({ deviceIds: [deviceId], operations: [{ kind: 'Inventory' }], consentMode: 'silent', intent: 'e2e' });
		expect(created.status).toBe(202);
		return api.waitForOperation(created.body.operations[0]!.correlator, terminal);
	};
	expect(await inventory()).toMatchObject({ resultCode: 1200 });
	expect(agent.identity().mas[0]!.trust!.credentials).toHaveLength(1);

	const operator = await addAdmin(browser, page, 'operator', { displayName: 'Otto Operator' });
	await operator.context.close();

	// The owner is told, and sees exactly what would change.
	await gotoHydrated(page, '/admin');
	await expect(page.getByTestId('trust-notice')).toContainText('1 passkey(s) to add');
	await page.getByTestId('trust-notice').getByRole('link', { name: 'Review it under Approvals' }).click();
	await expect(page).toHaveURL(/\/admin\/high-risk$/);
	const change = page.getByTestId('pending-trust-change');
	await expect(change).toContainText('Adds passkey “Invited passkey” of Otto Operator');
	await page.setViewportSize({ width: 390, height: 844 });
	await page.screenshot({ path: 'tests/e2e/screenshots/security-trust-change-390.png', fullPage: true });
	await page.setViewportSize({ width: 1280, height: 800 });
	await page.screenshot({ path: 'tests/e2e/screenshots/security-trust-change-1280.png', fullPage: true });

	// Nothing reaches the agent before the approval.
	expect(await inventory()).toMatchObject({ resultCode: 1200 });
	expect(agent.identity().mas[0]!.trust!.credentials).toHaveLength(1);

	await change.getByRole('button', { name: 'Approve this change with my passkey' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Approved' })).toBeVisible();
	await expect(page.getByTestId('pending-trust-change')).toHaveCount(0);
	await expect(page.getByTestId('trust-notice')).toHaveCount(0);

	const mark = agent.mark();
	expect(await inventory()).toMatchObject({ resultCode: 1200 });
	await agent.waitAfter(mark, (e) => e.event === 'trust-updated', 'the co-signed statement');
	const pinned = agent.identity().mas[0]!.trust!;
	expect(pinned).toMatchObject({ epoch: 1 });
	expect(pinned.credentials).toHaveLength(2);
	expect(agent.events.some((e) => e.event === 'trust-refused')).toBe(false);
});
