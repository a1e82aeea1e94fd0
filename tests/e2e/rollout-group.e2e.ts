/**
 * A rollout to a device group from the console (issue #17), on a phone (390 px) with real headless agents: a
 * dynamic group made by filter in Groups; a new rollout targeting that group (chosen from the MA's groups, its
 * device count shown), mode explained, a canary phase whose failures are counted in devices and which waits for
 * confirmation; started, phase 1 completes live without a reload; pause, resume (a pause resumes; the phase still
 * waits), "Confirm: start …" starts the rest, and the rollout completes. The form and the rollout are checked at
 * 1280 px too. Screenshots go to /tmp (not committed); no page scrolls sideways.
 */
import { test, expect, type Page } from '@playwright/test';
import { createMaWithOwner, gotoHydrated } from './support/auth';
import { agentOutputs, enrollAgent, stopAgents } from './support/agent';
import { createEnrollmentCode, expectSameDocument, live, markDocument, uploadExample } from './support/admin-console';

test.afterEach(async ({}, testInfo) => {
	if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('agents', { body: agentOutputs(), contentType: 'text/plain' });
	await stopAgents();
});

async function shot(page: Page, name: string) {
	const w = page.viewportSize()?.width ?? 0;
	await page.evaluate(() => window.scrollTo(0, 0));
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	expect(overflow, `${name} scrolls sideways at ${w} px`).toBeLessThanOrEqual(0);
	await page.screenshot({ path: `/tmp/rollout-group-${name}-${w}.png`, fullPage: true });
}

const phase = (page: Page, idx: number) => page.getByTestId('phase').and(page.locator(`[data-phase="${idx}"]`));

test('390 px: a dynamic group by filter, a phased rollout to it, started, advancing live, paused, resumed, confirmed, completed', async ({ page }) => {
	test.setTimeout(180_000);
	await page.setViewportSize({ width: 1280, height: 800 });
	await createMaWithOwner(page);
	for (const name of ['Shelf 1', 'Shelf 2', 'Shelf 3']) await enrollAgent(await createEnrollmentCode(page, name), { args: ['--model', 'Group Shelf'] });
	await enrollAgent(await createEnrollmentCode(page, 'Office'), { args: ['--model', 'Office Panel'] });
	const CLOCK = `com.example.clock-group-${Date.now().toString(36)}`;
	await uploadExample(page, 'com.example.clock', '1.0.0', CLOCK, 'file');

	await page.setViewportSize({ width: 390, height: 844 });

	await test.step('a dynamic group by filter, made in Groups', async () => {
		await gotoHydrated(page, '/admin/groups');
		await page.getByRole('radio', { name: /^Dynamic/ }).check();
		await page.getByLabel('Name', { exact: true }).fill('Shelf screens');
		await page.getByLabel('Filter', { exact: true }).fill('model == "Group Shelf"');
		await expect(page.getByTestId('preview-count')).toHaveText('3');
		await page.getByRole('button', { name: 'Create group' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Shelf screens');
		await expect(page.getByTestId('member-count')).toHaveText('3');
	});

	let rolloutUrl = '';
	await test.step('the form: target the group, the mode explained, phases with a count threshold and a confirmation', async () => {
		await gotoHydrated(page, '/admin/rollouts/new');
		await page.getByLabel('Rollout name').fill('Clock to the shelves');
		await page.getByRole('radio', { name: 'A device group' }).check();
		await page.getByLabel('Device group', { exact: true }).selectOption({ label: 'Shelf screens (3 devices, by filter)' });
		await expect(page.getByTestId('group-count')).toHaveText('3 devices in it now.');
		await expect(page.getByTestId('mode-explained')).toContainText('when it starts, and only those');
		await page.getByRole('radio', { name: /continuous/ }).check();
		await expect(page.getByTestId('mode-explained')).toContainText('join the target while it runs');
		await page.getByRole('radio', { name: /snapshot/ }).check();
		await page.getByLabel('Step 1: component').selectOption(CLOCK);
		await page.getByRole('radio', { name: /^Ask the user/ }).check();
		await page.getByLabel('Message to the user (why you do this)').fill('Installs the shelf clock');
		// A canary device that must not fail at all (1 failed device pauses) and waits for a person; then the rest.
		await page.getByRole('button', { name: 'Remove phase 2' }).click();
		await expect(page.getByTestId('phase-row')).toHaveCount(2);
		await page.getByLabel('Phase 1 error threshold unit').selectOption('count');
		await page.getByLabel('Phase 1 error device count').fill('1');
		await page.getByLabel('Phase 1 when it succeeds').selectOption('pause');
		await shot(page, 'new');
		await page.setViewportSize({ width: 1280, height: 800 });
		await shot(page, 'new');
		await page.setViewportSize({ width: 390, height: 844 });
		await page.getByRole('button', { name: 'Create rollout' }).click();
		await page.waitForURL(/\/admin\/rollouts\/[0-9a-f-]{36}$/);
		rolloutUrl = page.url();
		await expect(page.getByTestId('rollout-status').first()).toHaveText('Draft');
		await expect(page.getByTestId('rollout-summary')).toContainText('Shelf screens');
	});

	await test.step('start: the canary completes live, without a reload, and phase 2 waits for confirmation', async () => {
		await live(page);
		await markDocument(page);
		await page.getByRole('button', { name: 'Start', exact: true }).click();
		await expect(phase(page, 0)).toHaveAttribute('data-status', 'awaiting-confirmation');
		await expect(phase(page, 0).getByTestId('rollout-bar')).toHaveAttribute('data-succeeded', '1');
		await expect(page.getByRole('button', { name: /^Confirm: start/ })).toBeVisible();
		await expectSameDocument(page);
		await shot(page, 'awaiting');
	});

	await test.step('pause, resume (a pause resumes), confirm the next phase: the rollout completes', async () => {
		await page.getByRole('button', { name: 'Pause', exact: true }).click();
		await expect(page.getByTestId('rollout-status').first()).toHaveText('Paused');
		await page.getByRole('button', { name: /^Resume/ }).click();
		await expect(page.getByTestId('rollout-status').first()).toHaveText('Running');
		await expect(phase(page, 0)).toHaveAttribute('data-status', 'awaiting-confirmation');
		await page.getByRole('button', { name: /^Confirm: start/ }).click();
		await expect(page.getByTestId('rollout-status').first()).toHaveText('Completed');
		await expect(phase(page, 1).getByTestId('rollout-bar')).toHaveAttribute('data-succeeded', '2');
		await expect(page.getByTestId('rollout-device').filter({ hasText: 'Succeeded' })).toHaveCount(3);
		await expect(page.getByTestId('rollout-device').filter({ hasText: 'Office' })).toHaveCount(0);
		await expectSameDocument(page);
		await shot(page, 'done');
	});

	await test.step('1280 px: the completed rollout', async () => {
		await page.setViewportSize({ width: 1280, height: 800 });
		await gotoHydrated(page, rolloutUrl);
		await expect(page.getByTestId('rollout-status').first()).toHaveText('Completed');
		await expect(page.getByTestId('rollout-summary')).toContainText('Shelf screens');
		await shot(page, 'done');
	});
});
