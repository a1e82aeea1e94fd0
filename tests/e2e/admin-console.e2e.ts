/**
 * The admin console end to end, with a real passkey (virtual authenticator), a real headless agent
 * process and the real server: enrollment QR → the agent enrolls → upload a component → install,
 * activate, start, stop and remove it from the device page, each result appearing live (no reload),
 * on a desktop and on a 390 px phone.
 */
import { test, expect } from '@playwright/test';
import { createMaWithOwner, gotoHydrated } from './support/auth';
import { agentOutputs, enrollAgent, stopAgents } from './support/agent';
import { componentRow, createEnrollmentCode, expectResult, expectSameDocument, live, markDocument, operate, shoot, uploadExample } from './support/admin-console';

test.afterEach(async ({}, testInfo) => {
	if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('agents', { body: agentOutputs(), contentType: 'text/plain' });
	await stopAgents();
});


for (const viewport of [
	{ name: 'desktop', width: 1280, height: 800, inactive: false },
	{ name: 'phone', width: 390, height: 844, inactive: true }
]) {
	test(`${viewport.name} (${viewport.width} px): enroll an agent by QR code, upload, install${viewport.inactive ? ' inactive, activate' : ''}, start, stop and remove, results live`, async ({ page }) => {
		test.setTimeout(120_000);
		await page.setViewportSize({ width: viewport.width, height: viewport.height });
		await createMaWithOwner(page);

		const code = await createEnrollmentCode(page, `Kiosk ${viewport.name}`);
		if (!viewport.inactive) await shoot(page, 'enrollment-qr');

		let deviceId = '';
		await test.step('the agent enrolls with the code and appears in the list live', async () => {
			await gotoHydrated(page, '/admin/devices');
			await expect(page.getByTestId('no-devices')).toBeVisible();
			await live(page);
			await markDocument(page);
			({ deviceId } = await enrollAgent(code, { args: ['--model', `Kiosk ${viewport.name}`] }));
			const device = page.getByTestId('device').and(page.locator(`[data-device-id="${deviceId}"]`));
			await expect(device).toBeVisible();
			await expect(device.getByTestId('online')).toHaveAttribute('data-online', 'true');
			await expectSameDocument(page);
		});

		await test.step('the code is now used, single use shown', async () => {
			await gotoHydrated(page, '/admin/enrollment');
			await expect(page.getByTestId('enrollment-code-row').filter({ hasText: `Kiosk ${viewport.name}` })).toContainText('Used');
		});

		const CLOCK = `com.example.clock-${viewport.name}-${Date.now().toString(36)}`;
		await uploadExample(page, 'com.example.clock', '1.0.0', CLOCK, viewport.inactive ? 'paste' : 'file');

		await test.step('the device page shows its information, baseline and no component yet', async () => {
			await gotoHydrated(page, `/admin/devices/${deviceId}`);
			await expect(page.getByTestId('device-id')).toHaveText(deviceId);
			await expect(page.getByTestId('baseline')).toHaveText('scomo-agent-node20');
			await expect(page.getByTestId('no-inventory')).toBeVisible();
			await live(page);
			await markDocument(page);
		});

		const row = componentRow(page, CLOCK);
		if (viewport.inactive) {
			await test.step('install inactive, then activate: each result arrives live', async () => {
				await operate(page, CLOCK, 'Install inactive', 'Installs the lobby clock, switched off for now');
				await expectResult(page, 'DownloadInstallInactive', 'Successful');
				await expect(row).toHaveAttribute('data-state', 'Inactive');
				// Only what the state allows: an inactive component cannot start.
				await expect(row.getByRole('button', { name: 'Start', exact: true })).toHaveCount(0);
				await operate(page, CLOCK, 'Activate', 'Switches the clock on');
				await expectResult(page, 'Activate', 'Successful');
				await expect(row).toHaveAttribute('data-state', 'Active');
			});
		} else {
			await test.step('install (DownloadInstall): the result arrives live, the component is Active and Stopped', async () => {
				await operate(page, CLOCK, 'Install', 'Installs the lobby clock');
				await expectResult(page, 'DownloadInstall', 'Successful');
				await expect(row).toHaveAttribute('data-state', 'Active');
				await expect(row).toHaveAttribute('data-operational', 'Stopped');
				await expect(page.getByTestId('toast').filter({ hasText: `Download and install ${CLOCK}: Successful` })).toBeVisible();
			});
		}

		await test.step('start: Running, live', async () => {
			await operate(page, CLOCK, 'Start', 'Starts the clock');
			await expectResult(page, 'Start', 'Successful');
			await expect(row).toHaveAttribute('data-operational', 'Running');
			await expect(row.getByRole('button', { name: 'Start', exact: true })).toHaveCount(0);
		});

		await test.step('stop: Stopped, live', async () => {
			await operate(page, CLOCK, 'Stop', 'Stops the clock for maintenance');
			await expectResult(page, 'Stop', 'Successful');
			await expect(row).toHaveAttribute('data-operational', 'Stopped');
		});

		await test.step('remove: gone from the inventory, live, and never reloaded', async () => {
			await operate(page, CLOCK, 'Remove', 'Removes the clock');
			await expectResult(page, 'Remove', 'Successful');
			await expect(page.getByTestId('no-inventory')).toBeVisible();
			await expectSameDocument(page);
		});

		await test.step('the operations page lists every step with its result by name', async () => {
			await gotoHydrated(page, '/admin/operations');
			const ops = page.getByTestId('operation');
			await expect(ops).toHaveCount(viewport.inactive ? 5 : 4);
			await expect(ops.getByTestId('result').filter({ hasText: 'Successful' })).toHaveCount(viewport.inactive ? 5 : 4);
		});
	});
}
