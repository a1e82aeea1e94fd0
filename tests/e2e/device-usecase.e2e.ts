/**
 * Use case 5.6 ("remote click") end to end, with the administrator and the device in two browser contexts:
 * normal flow (confirm prompt, accept, component starts, 1200 for the administrator), A1 (silent: no prompt,
 * runs) and A2 (refuse: 1401 for the administrator).
 */
import { test, expect } from '@playwright/test';
import { createMaWithOwner, gotoHydrated } from './support/auth';
import { idFor, componentRow, deviceContext, diagnostics, enroll, operate, prompt, result, screenshot, tokenFor, upload, type Ma } from './device-support';

test('use case 5.6: prompt and accept, silent start (A1), refusal (A2)', async ({ page: adminPage, browser }) => {
	test.setTimeout(120_000);
	const admin = await createMaWithOwner(adminPage);
	const ma: Ma = { maId: admin.maId, name: admin.maName, api: tokenFor(admin.maId) };
	const clock = await upload(ma, 'com.example.clock', '1.0.0');

	const { context, page } = await deviceContext(browser);
	const deviceId = await enroll(page, ma);

	// Pre-condition: the component is installed and active (silent, so no prompt).
	const [install] = await operate(ma, deviceId, [{ kind: 'DownloadInstall', componentId: clock }], 'silent');
	expect((await result(ma, install!).catch(async (e) => { console.log(await diagnostics(page)); throw e; })).resultCode).toBe(1200);
	await expect(componentRow(page, clock)).toBeVisible();

	// 1. The MA wants to start the component; the user is prompted (confirm).
	const [start] = await operate(ma, deviceId, [{ kind: 'Start', componentId: clock }], 'confirm', 'Start the clock for the lobby screen');
	const p = prompt(page);
	await expect(p).toBeVisible();
	await expect(p.getByTestId('prompt-ma')).toHaveText(ma.name);
	await expect(p.getByTestId('prompt-intent')).toHaveText('Start the clock for the lobby screen');
	await expect(p.getByTestId('prompt-operation')).toHaveCount(1);
	await expect(p.getByTestId('prompt-operation')).toContainText('Start');
	await expect(p.getByTestId('prompt-operation')).toContainText('Clock 1.0.0');
	await expect.poll(async () => (await ma.api.getOperation(start!)).body.status).toBe('awaiting-consent');
	// The prompt covers the phone's screen (a fixed overlay): the viewport is what the user sees.
	await screenshot(page, 'device-prompt-390.png', false);
	// The administrator watches the operations page while the user decides.
	await gotoHydrated(adminPage, `/admin/operations?deviceId=${deviceId}`);
	const adminRow = adminPage.getByRole('listitem').filter({ has: adminPage.locator('code', { hasText: start! }) });
	await expect(adminRow).toBeVisible();
	await expect(adminRow).not.toContainText('1200');

	// 2–4. Accept: the device relays it to the component, which runs; the DMS gets 1200.
	await p.getByRole('button', { name: 'Accept' }).click();
	await expect(p).toBeHidden();
	const started = await result(ma, start!);
	expect(started).toMatchObject({ resultCode: 1200, status: 'completed' });
	await expect(componentRow(page, clock).getByTestId('component-state')).toHaveText('Running');
	const inv = await ma.api.getInventory(deviceId);
	expect(inv.body.items.find((i) => i.componentId === clock)).toMatchObject({ operational: 'Running' });

	// ... and live in the admin UI, which was open before the user answered.
	await expect(adminRow).toContainText('1200');

	// A2: the user refuses a Stop: it ends with 1401, and the component keeps running.
	const [refusedStop] = await operate(ma, deviceId, [{ kind: 'Stop', componentId: clock }], 'confirm', 'Stop the clock');
	await expect(p).toBeVisible();
	await p.getByRole('button', { name: 'Refuse' }).click();
	const refused = await result(ma, refusedStop!);
	expect(refused).toMatchObject({ resultCode: 1401, status: 'failed' });
	await expect(componentRow(page, clock).getByTestId('component-state')).toHaveText('Running');

	// A1: silent Stop: no prompt, it runs.
	const [silentStop] = await operate(ma, deviceId, [{ kind: 'Stop', componentId: clock }], 'silent');
	expect((await result(ma, silentStop!)).resultCode).toBe(1200);
	await expect(p).toBeHidden();
	await expect(componentRow(page, clock).getByTestId('component-state')).toHaveText('Stopped');

	// A1 again for Start, then the activity list tells what the MA did.
	const [silentStart] = await operate(ma, deviceId, [{ kind: 'Start', componentId: clock }], 'silent');
	expect((await result(ma, silentStart!)).resultCode).toBe(1200);
	await expect(componentRow(page, clock).getByTestId('component-state')).toHaveText('Running');
	await expect(page.getByTestId('activity').locator('li')).toHaveCount(5);
	await expect(page.getByTestId('activity').locator('[data-code="1401"]')).toContainText('You said no');
	// Mobile first: nothing wider than the 390 px phone.
	expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
	await screenshot(page, 'device-home-390.png');
	await context.close();
});
