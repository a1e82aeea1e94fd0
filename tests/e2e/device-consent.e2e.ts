/**
 * Consent on the device PWA: install with confirm and the completion notice (SCOMO-USA-2, also as a system
 * notification), a batch of three operations under ONE prompt (SCOMO-ADC-2) showing the permissions
 * (SCOMO-USA-4), notify mode, and the user's per-MA choices (allow silently, block).
 */
import { test, expect } from '@playwright/test';
import { idFor, componentRow, deviceContext, diagnostics, enroll, maCard, newMa, operate, prompt, result, upload } from './device-support';

test('install with confirm ends with a completion notice; a batch of three asks once', async ({ browser }) => {
	test.setTimeout(90_000);
	const ma = newMa('Consent MA');
	const clock = await upload(ma, 'com.example.clock', '1.0.0');
	await upload(ma, 'com.example.clock', '1.1.0');
	const { context, page } = await deviceContext(browser);
	await context.grantPermissions(['notifications']);
	const deviceId = await enroll(page, ma);
	// Notices are collapsed under their count: open them.
	await page.getByTestId('notices').locator('summary').click();
	await expect(page.getByText('System notifications are on.')).toBeVisible();
	await page.evaluate(() => navigator.serviceWorker.ready);

	// Install with confirm → prompt → accept → notice of completion.
	const [install] = await operate(
		ma,
		deviceId,
		[{ kind: 'DownloadInstall', componentId: clock, version: '1.0.0' }],
		'confirm',
		'Install the lobby clock'
	);
	const p = prompt(page);
	await expect(p).toBeVisible();
	await expect(p.getByTestId('prompt-operation')).toContainText('Download and install');
	await expect(p.getByTestId('prompt-operation')).toContainText('Downloads and installs the component');
	await p.getByRole('button', { name: 'Accept' }).click();
	expect((await result(ma, install!)).resultCode).toBe(1200);
	const notice = page.getByTestId('notice').filter({ hasText: 'completed' });
	await expect(notice).toHaveCount(1);
	await expect(notice).toContainText(`Download and install of ${clock} 1.0.0 succeeded.`);
	// ... and as a system notification through the service worker registration.
	await expect
		.poll(() => page.evaluate(async () => (await navigator.serviceWorker.ready).getNotifications().then((n) => n.map((x) => x.title))))
		.toContain(`${ma.name}: completed`);

	// A batch of three operations → ONE prompt listing all three, with the new version's permission.
	const batch = await operate(
		ma,
		deviceId,
		[
			{ kind: 'Update', componentId: clock, version: '1.1.0' },
			{ kind: 'Start', componentId: clock },
			{ kind: 'Inventory' }
		],
		'confirm',
		'Move the clock to 1.1.0 and start it'
	);
	expect(batch).toHaveLength(3);
	await expect(p).toBeVisible();
	await expect(p.getByTestId('prompt-operation')).toHaveCount(3);
	await expect(p.getByTestId('prompt-operation').nth(0)).toContainText('Clock 1.1.0');
	await expect(p.locator('[data-permission="storage"]')).toHaveText('Keep its own data on this device.');
	await expect(page.getByTestId('consent-prompt')).toHaveCount(1);
	await p.getByRole('button', { name: 'Accept' }).click();
	for (const c of batch) expect((await result(ma, c)).resultCode).toBe(1200);
	await expect(p).toBeHidden();
	await expect(componentRow(page, clock)).toContainText('1.1.0');
	await expect(componentRow(page, clock).getByTestId('component-state')).toHaveText('Running');
	// One completion notice for the whole batch.
	await expect(page.getByTestId('notice').filter({ hasText: 'completed' })).toHaveCount(2);
	await expect(page.getByTestId('notice').filter({ hasText: `Update of ${clock} 1.1.0 succeeded.` })).toHaveCount(1);
	await context.close();
});

test('notify mode tells before and after; allow silently skips the prompt; block refuses with 1401 and a record', async ({ browser }) => {
	test.setTimeout(90_000);
	const ma = newMa('Choices MA');
	const clock = await upload(ma, 'com.example.clock', '1.0.0');
	const { context, page } = await deviceContext(browser);
	const deviceId = await enroll(page, ma);

	const [notified] = await operate(ma, deviceId, [{ kind: 'DownloadInstall', componentId: clock }], 'notify', 'Routine install');
	expect((await result(ma, notified!)).resultCode).toBe(1200);
	await expect(page.getByTestId('notice').filter({ hasText: `${ma.name} is changing this device` })).toContainText('Why: Routine install');
	await expect(page.getByTestId('notice').filter({ hasText: `${ma.name}: completed` })).toHaveCount(1);
	await expect(prompt(page)).toBeHidden();

	// Allow silently: a confirm operation runs without a prompt.
	const card = maCard(page, ma);
	await card.getByLabel('Allow silently').check();
	await expect(card.getByLabel('Allow silently')).toBeChecked();
	const [allowed] = await operate(ma, deviceId, [{ kind: 'Start', componentId: clock }], 'confirm', 'Start it');
	expect((await result(ma, allowed!).catch(async (e) => { console.log(await diagnostics(page)); throw e; })).resultCode).toBe(1200);
	await expect(prompt(page)).toBeHidden();

	// Block: even a silent operation is refused with 1401, and the user sees a record of it.
	await card.getByLabel('Block').check();
	await expect(card.getByLabel('Block')).toBeChecked();
	const [blocked] = await operate(ma, deviceId, [{ kind: 'Stop', componentId: clock }], 'silent');
	const refused = await result(ma, blocked!);
	expect(refused).toMatchObject({ resultCode: 1401, status: 'failed' });
	await expect(page.getByTestId('notice').filter({ hasText: `Refused: ${ma.name} is blocked` })).toContainText('1 operation(s)');
	await expect(componentRow(page, clock).getByTestId('component-state')).toHaveText('Running');

	// The choice is kept across a reload.
	await page.reload();
	await expect(maCard(page, ma).getByLabel('Block')).toBeChecked();
	await maCard(page, ma).getByLabel('Always ask').check();
	const [asked] = await operate(ma, deviceId, [{ kind: 'Stop', componentId: clock }], 'confirm');
	await expect(prompt(page)).toBeVisible();
	await prompt(page).getByRole('button', { name: 'Accept' }).click();
	expect((await result(ma, asked!)).resultCode).toBe(1200);
	await context.close();
});
