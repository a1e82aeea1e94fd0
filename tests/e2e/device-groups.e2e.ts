/**
 * On a 390 px phone: two real agents enrolled as "Lobby kiosk" and "Reception tablet"; Groups is reached from
 * the console's menu; a dynamic group's filter is previewed live (a bad one marked at its position, a good one
 * counted) and created; its page lists the matching device. A static group gets a member found by name, which
 * the device's page then shows. Neither page scrolls sideways at 390 px or 1280 px.
 */
import { test, expect } from '@playwright/test';
import { createMaWithOwner, gotoHydrated } from './support/auth';
import { agentOutputs, enrollAgent, stopAgents } from './support/agent';
import { createEnrollmentCode, shoot } from './support/admin-console';

test.afterEach(async ({}, testInfo) => {
	if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('agents', { body: agentOutputs(), contentType: 'text/plain' });
	await stopAgents();
});

test('390 px: create a dynamic group with a live preview, and a static group with a member', async ({ page }) => {
	test.setTimeout(150_000);
	await page.setViewportSize({ width: 390, height: 844 });
	await createMaWithOwner(page);
	await enrollAgent(await createEnrollmentCode(page, 'Lobby kiosk'));
	const { deviceId: reception } = await enrollAgent(await createEnrollmentCode(page, 'Reception tablet'));

	await test.step('Groups is in the menu; with none yet the new-group form is open', async () => {
		await gotoHydrated(page, '/admin');
		await page.getByRole('button', { name: /^Menu/ }).click();
		await page.getByRole('link', { name: 'Groups', exact: true }).click();
		await expect(page).toHaveURL(/\/admin\/groups$/);
		await expect(page.getByRole('heading', { name: 'New group' })).toBeVisible();
	});

	await test.step('a dynamic group’s filter is checked as it is typed', async () => {
		await page.getByRole('radio', { name: /^Dynamic/ }).check();
		await page.getByLabel('Name', { exact: true }).fill('Lobby devices');
		const filter = page.getByLabel('Filter', { exact: true });
		await filter.fill('name == "Lobby*" and');
		await expect(page.getByTestId('filter-preview')).toContainText('expected a field');
		await expect(page.getByTestId('filter-preview')).toContainText('at character 21');
		await filter.fill('group == "Nope"');
		await expect(page.getByTestId('filter-preview')).toContainText('unknown group "Nope"');
		await filter.fill('name == "Lobby*"');
		await expect(page.getByTestId('preview-count')).toHaveText('1');
		await shoot(page, 'group-new');
	});

	await test.step('created, its page lists the device the filter matches', async () => {
		await page.getByRole('button', { name: 'Create group' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lobby devices');
		await expect(page.getByTestId('member-count')).toHaveText('1');
		await expect(page.getByTestId('group-devices').getByRole('link', { name: 'Lobby kiosk' })).toBeVisible();
		await expect(page.getByTestId('group-filter')).toHaveText('name == "Lobby*"');
		await shoot(page, 'group-dynamic');
	});

	await test.step('a static group gets a member found by name; the device’s page shows the group', async () => {
		await gotoHydrated(page, '/admin/groups');
		await expect(page.getByTestId('group')).toHaveCount(1);
		await page.getByRole('button', { name: 'New group' }).click();
		await page.getByLabel('Name', { exact: true }).fill('Front desk');
		await page.getByRole('button', { name: 'Create group' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Front desk');
		await page.getByLabel('Find devices').fill('Reception');
		await page.getByLabel('Find devices').press('Enter');
		await page.getByTestId('found').getByRole('checkbox', { name: /Reception tablet/ }).check();
		await page.getByRole('button', { name: 'Add selected' }).click();
		await expect(page.getByTestId('member-count')).toHaveText('1');
		await expect(page.getByTestId('group-devices').getByRole('link', { name: 'Reception tablet' })).toBeVisible();
		await shoot(page, 'group-static');
		await gotoHydrated(page, `/admin/devices/${reception}`);
		await expect(page.getByTestId('device-groups').getByRole('link', { name: 'Front desk' })).toBeVisible();
		await gotoHydrated(page, '/admin/groups');
		await expect(page.getByTestId('group')).toHaveCount(2);
		await shoot(page, 'groups');
	});
});
