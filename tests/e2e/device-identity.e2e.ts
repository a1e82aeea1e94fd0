/**
 * On a 390 px phone: two real agents enrolled with labelled codes appear under those labels; the filter box
 * finds one by a plain word and marks a bad filter's position; renaming and tagging a device on its page is
 * what the list then filters by.
 */
import { test, expect } from '@playwright/test';
import { createMaWithOwner, gotoHydrated } from './support/auth';
import { agentOutputs, enrollAgent, stopAgents } from './support/agent';
import { createEnrollmentCode } from './support/admin-console';

test.afterEach(async ({}, testInfo) => {
	if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('agents', { body: agentOutputs(), contentType: 'text/plain' });
	await stopAgents();
});

test('390 px: labels become names, filter by a word, rename and tag a device, filter by the tag', async ({ page }) => {
	test.setTimeout(150_000);
	await page.setViewportSize({ width: 390, height: 844 });
	await createMaWithOwner(page);
	const { deviceId: lobby } = await enrollAgent(await createEnrollmentCode(page, 'Lobby kiosk'));
	await enrollAgent(await createEnrollmentCode(page, 'Reception tablet'));

	const filterBox = page.getByLabel('Filter', { exact: true });
	await test.step('the list shows both by name; a plain word finds one, and the filter is in the URL', async () => {
		await gotoHydrated(page, '/admin/devices');
		await expect(page.getByTestId('device')).toHaveCount(2);
		await expect(page.getByRole('link', { name: 'Reception tablet' })).toBeVisible();
		await filterBox.fill('Lobby');
		await filterBox.press('Enter');
		await expect(page).toHaveURL(/[?&]filter=Lobby/);
		await expect(page.getByTestId('device')).toHaveCount(1);
		await expect(page.getByRole('link', { name: 'Lobby kiosk' })).toBeVisible();
	});

	await test.step('a bad filter says where it stopped', async () => {
		await filterBox.fill('tag == lobby and');
		await filterBox.press('Enter');
		await expect(page.getByTestId('filter-error')).toContainText('expected a field');
		await expect(page.getByTestId('filter-error')).toContainText('at character 17');
	});

	await test.step('rename and tag the device on its page', async () => {
		await gotoHydrated(page, `/admin/devices/${lobby}`);
		await page.getByRole('button', { name: 'Edit name, notes and tags' }).click();
		await page.getByLabel('Name', { exact: true }).fill('Lobby kiosk east');
		await page.getByLabel('Tags', { exact: true }).fill('lobby, floor=3');
		await page.getByLabel('Notes', { exact: true }).fill('Behind the front desk');
		await page.getByRole('button', { name: 'Save' }).click();
		await expect(page.getByTestId('device-name')).toHaveText('Lobby kiosk east');
		await expect(page.getByTestId('device-tags')).toContainText('floor=3');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lobby kiosk east');
	});

	await test.step('the list filters by the new tag and shows the new name', async () => {
		await gotoHydrated(page, `/admin/devices?filter=${encodeURIComponent('tag.floor == 3')}`);
		await expect(page.getByTestId('device')).toHaveCount(1);
		await expect(page.getByRole('link', { name: 'Lobby kiosk east' })).toBeVisible();
		const width = await page.evaluate(() => document.documentElement.scrollWidth);
		expect(width).toBeLessThanOrEqual(390);
	});
});
