/**
 * Decommission seen on the device PWA (issue #17), at 390 px: the MA decommissions the browser device (REST);
 * the PWA verifies the MA-signed message, stops and removes the MA's component, and tells its user
 * "<MA> removed this device from its management; its components were removed".
 */
import { test, expect } from '@playwright/test';
import { componentRow, deviceContext, diagnostics, enroll, newMa, operate, result, upload } from './device-support';

test('the device PWA erases the MA’s component and tells the user', async ({ browser }, testInfo) => {
	test.setTimeout(90_000);
	const ma = newMa('Decommission MA');
	const clock = await upload(ma, 'com.example.clock', '1.0.0');
	const { context, page } = await deviceContext(browser);
	const deviceId = await enroll(page, ma);
	const [install, start] = await operate(ma, deviceId, [{ kind: 'DownloadInstall', componentId: clock }, { kind: 'Start', componentId: clock }], 'silent');
	expect((await result(ma, install!)).resultCode, await diagnostics(page)).toBe(1200);
	expect((await result(ma, start!)).resultCode, await diagnostics(page)).toBe(1200);
	await expect(componentRow(page, clock)).toBeVisible();

	const r = await ma.api.request('POST', `/api/v1/devices/${deviceId}/decommission`, { confirm: deviceId });
	expect(r.status, JSON.stringify(r.body)).toBe(200);

	await expect(componentRow(page, clock)).toHaveCount(0);
	await expect(page.getByText('This device has left every organisation.')).toBeVisible();
	await page.getByTestId('notices').locator('summary').click();
	const notice = page.getByTestId('notice').filter({ hasText: 'removed this device from its management' });
	await expect(notice).toHaveCount(1);
	await expect(notice).toContainText(`${ma.name} removed this device from its management; its components were removed`);
	await page.screenshot({ path: testInfo.outputPath('device-decommissioned-390.png'), fullPage: true });
	expect((await ma.api.getDevice(deviceId)).status).toBe(404);
	await context.close();
});
