/**
 * Staged rollouts from the admin console (issue #17) with real headless agents, on a phone (390 px): a rollout
 * to the devices a filter matches (a live count; a broken filter shows where it stops), a field error next to its
 * field, then start; the phase bars move live (phase 1 completes, phase 2 starts) without a reload; phase 2
 * waits for confirmation; pause and resume (which confirms it) complete it. Then the list and the rollout at
 * 1280 px. Screenshots at both widths go to /tmp (not committed), with no sideways scrolling.
 */
import { test, expect, type Page } from '@playwright/test';
import { addAdmin, createMaWithOwner, gotoHydrated } from './support/auth';
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
	await page.screenshot({ path: `/tmp/rollouts-${name}-${w}.png`, fullPage: true });
}

const phase = (page: Page, idx: number) => page.getByTestId('phase').and(page.locator(`[data-phase="${idx}"]`));

test('a phased rollout on a phone: filter with a live count, field errors, start, phases advance live, pause, resume', async ({ page, browser }) => {
	test.setTimeout(180_000);
	await page.setViewportSize({ width: 1280, height: 800 });
	await createMaWithOwner(page);
	await enrollAgent(await createEnrollmentCode(page, 'Lobby 1'), { args: ['--model', 'Rollout Lobby'] });
	await enrollAgent(await createEnrollmentCode(page, 'Lobby 2'), { args: ['--model', 'Rollout Lobby'] });
	await enrollAgent(await createEnrollmentCode(page, 'Office'), { args: ['--model', 'Office Panel'] });
	const CLOCK = `com.example.clock-rollout-${Date.now().toString(36)}`;
	await uploadExample(page, 'com.example.clock', '1.0.0', CLOCK, 'file');

	await page.setViewportSize({ width: 390, height: 844 });
	let rolloutUrl = '';

	await test.step('the rollouts page is in the navigation and empty', async () => {
		await gotoHydrated(page, '/admin');
		await page.getByRole('button', { name: 'Menu' }).click();
		await page.locator('#admin-nav').getByRole('link', { name: 'Rollouts' }).click();
		await page.waitForURL(/\/admin\/rollouts$/);
		await expect(page.getByTestId('no-rollouts')).toBeVisible();
		await shot(page, 'list-empty');
		await page.getByTestId('new-rollout').click();
		await page.waitForURL(/\/admin\/rollouts\/new$/);
	});

	await test.step('the form: a live count of the devices the filter matches, its error at its position, a field error', async () => {
		await gotoHydrated(page, '/admin/rollouts/new');
		await page.getByLabel('Rollout name').fill('Clock to the lobby');
		const filter = page.getByLabel('Device filter (empty: every device)');
		await filter.fill('model ==');
		await expect(page.getByTestId('target-count')).toContainText('at character');
		await filter.fill('model == "Rollout*"');
		await expect(page.getByTestId('target-count')).toHaveText(/2 devices match now/);
		await page.getByLabel('Step 1: component').selectOption(CLOCK);
		await page.getByRole('radio', { name: /^Ask the user/ }).check();
		await page.getByLabel('Message to the user (why you do this)').fill('Installs the lobby clock');
		// The default phases: a canary device, 10 %, the rest. Phase 2 waits for a person once it succeeds.
		await expect(page.getByTestId('phase-row')).toHaveCount(3);
		await page.getByLabel('Phase 2 when it succeeds').selectOption('pause');
		await page.getByRole('button', { name: 'Add a window' }).click();
		await expect(page.getByTestId('window-explained')).toContainText(/Next window|Open now/);
		await shot(page, 'new');
		await page.getByRole('button', { name: 'Remove window 1' }).click();
		// A canary of 0 devices is refused by the contract, and said at its field.
		await page.getByLabel('Phase 1 device count').fill('0');
		await page.getByRole('button', { name: 'Create rollout' }).click();
		const row1 = page.getByTestId('phase-row').first();
		await expect(row1.locator('.field-error')).toBeVisible();
		await expect(page.getByTestId('form-error')).toBeVisible();
		await shot(page, 'new-error');
		await page.getByLabel('Phase 1 device count').fill('1');
		await page.getByRole('button', { name: 'Create rollout' }).click();
		await page.waitForURL(/\/admin\/rollouts\/[0-9a-f-]{36}$/);
		rolloutUrl = page.url();
		await expect(page.getByTestId('rollout-status').first()).toHaveText('Draft');
		await expect(page.getByTestId('rollout-summary')).toContainText('model == "Rollout*"');
	});

	await test.step('start: phase 1 completes and phase 2 starts, live, without a reload; phase 2 waits for confirmation', async () => {
		await live(page);
		await markDocument(page);
		await page.getByRole('button', { name: 'Start', exact: true }).click();
		await expect(phase(page, 0)).toHaveAttribute('data-status', 'done');
		await expect(phase(page, 0).getByTestId('rollout-bar')).toHaveAttribute('data-succeeded', '1');
		await expect(page.getByTestId('timeline')).toContainText('Phase 2 started');
		await expect(phase(page, 1)).toHaveAttribute('data-status', 'awaiting-confirmation');
		await expect(phase(page, 1).getByTestId('rollout-bar')).toHaveAttribute('data-succeeded', '1');
		await expect(page.getByRole('button', { name: /^Confirm: start/ })).toBeVisible();
		await expect(page.getByTestId('rollout-device')).toHaveCount(2);
		await expect(page.getByTestId('rollout-device').filter({ hasText: 'Succeeded' })).toHaveCount(2);
		await expectSameDocument(page);
		await shot(page, 'detail-awaiting');
	});

	await test.step('pause, then resume, then confirm the waiting phase: the rollout completes', async () => {
		await page.getByRole('button', { name: 'Pause', exact: true }).click();
		await expect(page.getByTestId('rollout-status').first()).toHaveText('Paused');
		await expect(page.getByTestId('timeline')).toContainText('Paused');
		// Resuming a pause resumes; the phase still waits for a person, who then confirms the next one.
		await page.getByRole('button', { name: /^Resume/ }).click();
		await expect(page.getByTestId('rollout-status').first()).toHaveText('Running');
		await page.getByRole('button', { name: /^Confirm: start/ }).click();
		await expect(page.getByTestId('rollout-status').first()).toHaveText('Completed');
		await expect(page.getByTestId('timeline')).toContainText('Resumed');
		await expect(page.getByTestId('timeline')).toContainText('Phase 2 done (confirmed by a person)');
		await expect(page.getByTestId('rollout-actions')).toHaveCount(0);
		await expectSameDocument(page);
		await shot(page, 'detail-done');
	});

	await test.step('a high-risk rollout (Remove) waits for a passkey approval of its definition; approved, it is scheduled', async () => {
		await gotoHydrated(page, '/admin/rollouts/new');
		await page.getByLabel('Rollout name').fill('Remove the clock');
		await page.getByLabel('Device filter (empty: every device)').fill('model == "Rollout*"');
		await expect(page.getByTestId('target-count')).toHaveText(/2 devices match now/);
		await page.getByLabel('Step 1: operation').selectOption('Remove');
		await page.getByLabel('Step 1: component').selectOption(CLOCK);
		await page.getByRole('radio', { name: /^Ask the user/ }).check();
		await page.getByLabel('Message to the user (why you do this)').fill('Removes the lobby clock');
		// Tomorrow: approved, the rollout is scheduled (nothing runs yet), so the abort below always has work to withdraw.
		await page.getByRole('radio', { name: 'At a time' }).check();
		const tomorrow = await page.evaluate(() => {
			const d = new Date(Date.now() + 86_400_000);
			const p = (n: number) => String(n).padStart(2, '0');
			return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
		});
		await page.getByLabel('Start at (your time)').fill(tomorrow);
		await page.getByRole('button', { name: 'Create rollout' }).click();
		await page.waitForURL(/\/admin\/rollouts\/[0-9a-f-]{36}$/);
		await live(page);
		await page.getByRole('button', { name: 'Start', exact: true }).click();
		await expect(page.getByTestId('rollout-status').first()).toHaveText('Awaiting approval');
		await page.getByTestId('approve-rollout').click();
		// The owner's passkey (the browser's virtual authenticator) signs the digest of the rollout's definition.
		await expect(page.getByTestId('rollout-status').first()).toHaveText('Scheduled');
		await expect(page.getByTestId('approve-rollout')).toHaveCount(0);
		await expect(page.getByText('Approved with a passkey')).toHaveCount(1);
		await shot(page, 'detail-approval');
		await page.getByRole('button', { name: 'Abort' }).click();
		await page.getByRole('button', { name: 'Abort the rollout' }).click();
		await expect(page.getByTestId('rollout-status').first()).toHaveText('Aborted');
	});

	await test.step('at 1280 px: the list with its bar, the rollout with its phases and devices', async () => {
		await page.setViewportSize({ width: 1280, height: 800 });
		await gotoHydrated(page, '/admin/rollouts');
		const item = page.getByTestId('rollout').filter({ hasText: 'Clock to the lobby' });
		await expect(item.getByTestId('rollout-status')).toHaveText('Completed');
		await expect(item.getByTestId('rollout-bar')).toHaveAttribute('data-succeeded', '2');
		await shot(page, 'list');
		await gotoHydrated(page, rolloutUrl);
		await expect(page.getByTestId('phase')).toHaveCount(3);
		await page.getByLabel('Phase', { exact: true }).selectOption('0');
		await expect(page.getByTestId('rollout-device')).toHaveCount(1);
		await shot(page, 'detail');
		await gotoHydrated(page, '/admin/rollouts/new');
		await shot(page, 'new');
	});

	await test.step('a viewer reads the rollout but gets no action, and the server refuses one (403)', async () => {
		const viewer = await addAdmin(browser, page, 'viewer');
		const v = viewer.page;
		await gotoHydrated(v, '/admin/rollouts');
		await expect(v.getByTestId('rollout')).toHaveCount(2);
		await expect(v.getByTestId('new-rollout')).toHaveCount(0);
		await gotoHydrated(v, rolloutUrl);
		await expect(v.getByTestId('phase')).toHaveCount(3);
		await expect(v.getByTestId('rollout-actions')).toHaveCount(0);
		const res = await v.request.post(`${rolloutUrl}?/pause`, { form: {}, headers: { origin: new URL(rolloutUrl).origin, accept: 'text/html' }, maxRedirects: 0 });
		expect(res.status()).toBe(403);
		await viewer.context.close();
	});
});
