/**
 * Batches from the admin console with real headless agents: a sequence on every device, confirmed once
 * per device (SCOMO-ADC-2); the job page live with counts per result code by name, offline devices still
 * queued, retry of failures; viewers see no action controls and are refused by the server. Writes the
 * console's screenshots at 390 px and 1280 px.
 */
import { test, expect, type Page } from '@playwright/test';
import { addAdmin, createMaWithOwner, gotoHydrated } from './support/auth';
import { agentOutputs, enrollAgent, restartAgent, stopAgents } from './support/agent';
import { createEnrollmentCode, expectSameDocument, live, markDocument, shoot, uploadExample } from './support/admin-console';

test.afterEach(async ({}, testInfo) => {
	if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('agents', { body: agentOutputs(), contentType: 'text/plain' });
	await stopAgents();
});

/** From the devices list: run steps on every listed device through the operation sheet; the job page opens. */
async function runOnAll(page: Page, count: number, steps: { kind: string; componentId: string }[], intent: string) {
	await gotoHydrated(page, '/admin/devices');
	await live(page);
	await page.getByRole('button', { name: `Run on all (${count})` }).click();
	const sheet = page.getByTestId('operation-dialog');
	for (const [i, s] of steps.entries()) {
		if (i > 0) await sheet.getByRole('button', { name: 'Add a step' }).click();
		await sheet.getByLabel(`Step ${i + 1}: operation`).selectOption(s.kind);
		await sheet.getByLabel(`Step ${i + 1}: component`).selectOption(s.componentId);
	}
	await sheet.getByRole('radio', { name: /^Ask the user/ }).check();
	await sheet.getByLabel('Message to the user (why you do this)').fill(intent);
	await sheet.getByRole('button', { name: /^Send/ }).click();
	await expect(sheet).toBeHidden();
	// The console follows a batch on its job page.
	await page.waitForURL(/\/admin\/jobs\/[0-9a-f-]{36}$/);
	await live(page);
}

const resultCount = (page: Page, name: string) => page.getByTestId('result-counts').locator('li').filter({ hasText: name });

test('a sequence on all devices, one confirmation per device; the job page live; offline devices queued; retry; viewers read only', async ({ page, browser }) => {
	test.setTimeout(180_000);
	await page.setViewportSize({ width: 1280, height: 800 });
	await createMaWithOwner(page);
	const a = await enrollAgent(await createEnrollmentCode(page, 'Shelf A'), { args: ['--model', 'Shelf A'] });
	const b = await enrollAgent(await createEnrollmentCode(page, 'Shelf B'), { args: ['--model', 'Shelf B'] });
	const suffix = Date.now().toString(36);
	const CLOCK = `com.example.clock-jobs-${suffix}`;
	const CRASHER = `com.example.crasher-jobs-${suffix}`;
	await uploadExample(page, 'com.example.clock', '1.0.0', CLOCK, 'file');
	await uploadExample(page, 'com.example.crasher', '1.0.0', CRASHER, 'file');

	await test.step('DownloadInstall then Start on both devices: one job, one consent per device, results by name live', async () => {
		await runOnAll(page, 2, [
			{ kind: 'DownloadInstall', componentId: CRASHER },
			{ kind: 'Start', componentId: CRASHER }
		], 'Installs and starts the crash test');
		await markDocument(page);
		await expect(page.getByTestId('job-progress')).toHaveText('4 of 4 operations finished');
		await expect(resultCount(page, 'Successful')).toContainText('2');
		await expect(resultCount(page, 'Start failed')).toContainText('2');
		await expectSameDocument(page);
		for (const { agent } of [a, b]) {
			const consents = agent.events.filter((e) => e.event === 'consent');
			expect(consents).toHaveLength(1);
			expect(consents[0]!.correlators).toHaveLength(2);
		}
	});

	await test.step('retry of failures re-runs only the failed Start, as a new job', async () => {
		const first = page.url();
		await page.getByRole('button', { name: 'Retry failures (2)' }).click();
		await page.waitForURL((u) => u.href !== first && /\/admin\/jobs\//.test(u.pathname));
		await expect(page.getByRole('heading', { level: 2 }).first()).toHaveText(`Start ${CRASHER}`);
		await expect(page.getByTestId('job-progress')).toHaveText('2 of 2 operations finished');
		await expect(resultCount(page, 'Start failed')).toContainText('2');
	});

	await test.step('an offline device is shown as queued, and gets its operation when it reconnects, live', async () => {
		await b.agent.kill();
		await runOnAll(page, 2, [{ kind: 'DownloadInstall', componentId: CLOCK }], 'Installs the shelf clock');
		await markDocument(page);
		await expect(page.getByTestId('offline-queued')).toContainText('Shelf B');
		await expect(page.getByTestId('job-progress')).toHaveText('1 of 2 operations finished');
		await restartAgent(b.agent.dataDir);
		await expect(page.getByTestId('job-progress')).toHaveText('2 of 2 operations finished');
		await expect(page.getByTestId('offline-queued')).toHaveCount(0);
		await expect(resultCount(page, 'Successful')).toContainText('2');
		await expectSameDocument(page);
	});

	await test.step('screenshots of every console page at 390 px and 1280 px', async () => {
		await shoot(page, 'job');
		for (const [name, path] of [
			['overview', '/admin'],
			['devices', '/admin/devices'],
			['device', `/admin/devices/${a.deviceId}`],
			['components', '/admin/components'],
			['component', `/admin/components/${CLOCK}`],
			['enrollment', '/admin/enrollment'],
			['requests', '/admin/requests'],
			['operations', '/admin/operations'],
			['jobs', '/admin/jobs']
		] as const) {
			await gotoHydrated(page, path);
			await live(page);
			await shoot(page, name);
		}
		await gotoHydrated(page, `/admin/devices/${a.deviceId}`);
		await page.setViewportSize({ width: 390, height: 844 });
		await page.locator(`[data-testid="inventory"] [data-component="${CLOCK}"]`).getByRole('button', { name: 'Start', exact: true }).click();
		await expect(page.getByTestId('operation-dialog')).toBeVisible();
		await page.screenshot({ path: 'tests/e2e/screenshots/admin-operation-sheet-390.png' });
		await page.keyboard.press('Escape');
		await expect(page.getByTestId('operation-dialog')).toBeHidden();
		await page.setViewportSize({ width: 1280, height: 800 });
	});

	await test.step('a viewer sees the fleet but no action control, and the server refuses them (403)', async () => {
		const viewer = await addAdmin(browser, page, 'viewer');
		const v = viewer.page;
		await gotoHydrated(v, `/admin/devices/${a.deviceId}`);
		await expect(v.locator(`[data-testid="inventory"] [data-component="${CLOCK}"]`)).toBeVisible();
		await expect(v.getByTestId('inventory').getByRole('button')).toHaveCount(0);
		await expect(v.getByRole('button', { name: 'Refresh inventory' })).toHaveCount(0);
		await gotoHydrated(v, '/admin/devices');
		await expect(v.getByRole('button', { name: /^Run on/ })).toHaveCount(0);
		await gotoHydrated(v, '/admin/components');
		await expect(v.getByRole('button', { name: 'Upload package' })).toHaveCount(0);
		await gotoHydrated(v, '/admin/enrollment');
		await expect(v.getByRole('button', { name: 'Create enrollment code' })).toHaveCount(0);
		const origin = new URL(v.url()).origin;
		const res = await v.request.post('/admin/operations?/create', {
			form: { deviceId: a.deviceId, kind: 'Inventory', consentMode: 'confirm', intent: 'x' },
			headers: { origin, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(res.status()).toBe(403);
		await viewer.context.close();
	});
});
