/**
 * Decommission from the console (issue #17), at 390 px and 1280 px: on the device page the action explains
 * itself, asks for the device's name typed again (the button stays disabled until it matches), then the real
 * agent is told, erases the MA's data and acks, and the device is gone from the MA's list.
 */
import { test, expect } from '@playwright/test';
import { createMaWithOwner, gotoHydrated } from './support/auth';
import { agentOutputs, enrollAgent, stopAgents } from './support/agent';
import { createEnrollmentCode } from './support/admin-console';

test.afterEach(async ({}, testInfo) => {
	if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('agents', { body: agentOutputs(), contentType: 'text/plain' });
	await stopAgents();
});

for (const width of [390, 1280]) {
	test(`${width} px: decommission a device with a typed confirmation; the agent erases and acks; the list no longer has it`, async ({ page }, testInfo) => {
		test.setTimeout(150_000);
		await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
		await createMaWithOwner(page);
		const { agent, deviceId } = await enrollAgent(await createEnrollmentCode(page, 'Lobby kiosk'));

		await gotoHydrated(page, `/admin/devices/${deviceId}`);
		const card = page.getByTestId('decommission');
		await card.getByRole('button', { name: 'Decommission…' }).click();
		const confirm = card.getByRole('button', { name: 'Decommission this device' });
		await expect(confirm).toBeDisabled();
		await card.getByLabel(/Type the device name/).fill('Lobby');
		await expect(confirm).toBeDisabled();
		await card.getByLabel(/Type the device name/).fill('Lobby kiosk');
		await expect(confirm).toBeEnabled();
		await card.scrollIntoViewIfNeeded();
		await page.screenshot({ path: testInfo.outputPath(`decommission-confirm-${width}.png`), fullPage: true });
		const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
		expect(scrollWidth).toBeLessThanOrEqual(width);

		await confirm.click();
		await expect(page).toHaveURL(/\/admin\/devices$/);
		await expect(page.getByText('Lobby kiosk was decommissioned')).toBeVisible();
		await expect(page.getByTestId('device')).toHaveCount(0);
		await page.screenshot({ path: testInfo.outputPath(`decommission-after-${width}.png`), fullPage: true });
		expect(await agent.waitEvent('decommissioned')).toMatchObject({ erased: [], remainingMas: 0 });
		const res = await page.request.get(`/admin/devices/${deviceId}`);
		expect(res.status()).toBe(404);
	});
}
