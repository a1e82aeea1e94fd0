/**
 * Offline and restarts: an operation queued while the device is offline completes when it is back; a result
 * produced offline waits in the outbox and is sent on reconnect; a reload in the middle of an install (prompt
 * open, then right after accepting) still ends in one definite result, and the prompt survives the reload.
 */
import { test, expect } from '@playwright/test';
import { idFor, componentRow, deviceContext, enroll, newMa, operate, prompt, result } from './device-support';
import { upload } from './device-support';

test('queued while offline, it completes back online; a result produced offline is sent on reconnect', async ({ browser }) => {
	// Up to socket.io's ping interval + timeout (45 s) for the server to notice the device went away.
	test.setTimeout(150_000);
	const ma = newMa('Offline MA');
	const clock = await upload(ma, 'com.example.clock', '1.0.0');
	const { context, page } = await deviceContext(browser);
	const deviceId = await enroll(page, ma);
	// The service worker must have precached the shell before the network goes (the reload below is offline).
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});

	await context.setOffline(true);
	await expect(page.getByTestId('network-state')).toHaveText('Offline');
	// Wait until the server has noticed too (at once if the socket closed, else at its ping timeout): an
	// operation created now is queued for the device, not relayed into a dead connection.
	await expect.poll(async () => (await ma.api.getDevice(deviceId)).body.device.online, { timeout: 60_000 }).toBe(false);
	const [install] = await operate(ma, deviceId, [{ kind: 'DownloadInstall', componentId: clock }], 'silent');
	expect((await ma.api.getOperation(install!)).body.status).toBe('queued');
	await expect(componentRow(page, clock)).toHaveCount(0);

	await context.setOffline(false);
	const done = await result(ma, install!);
	expect(done).toMatchObject({ resultCode: 1200, status: 'completed' });
	await expect(componentRow(page, clock)).toBeVisible();
	await expect(page.getByTestId('network-state')).toHaveText('Connected to the server');

	// The prompt is open when the device goes offline; the user accepts offline; the component starts and
	// its result waits in the outbox until the device is back.
	const [start] = await operate(ma, deviceId, [{ kind: 'Start', componentId: clock }], 'confirm', 'Start while you can');
	await expect(prompt(page)).toBeVisible();
	await context.setOffline(true);
	await expect(page.getByTestId('network-state')).toHaveText('Offline');
	await prompt(page).getByRole('button', { name: 'Accept' }).click();
	await expect(componentRow(page, clock).getByTestId('component-state')).toHaveText('Running');
	await expect(page.getByTestId('outbox')).toHaveText('One result waiting to be sent');
	// Still offline after a reload: the outbox is durable (IndexedDB), the shell comes from the service worker.
	await page.reload();
	await expect(page.getByTestId('outbox')).toHaveText('One result waiting to be sent');
	expect((await ma.api.getOperation(start!)).body.resultCode).toBeNull();

	await context.setOffline(false);
	expect((await result(ma, start!)).resultCode).toBe(1200);
	await expect(page.getByTestId('outbox')).toHaveCount(0);
	await context.close();
});

test('a reload in the middle of an install ends in a definite result; the prompt survives the reload', async ({ browser }) => {
	test.setTimeout(90_000);
	const ma = newMa('Reload MA');
	const clock = await upload(ma, 'com.example.clock', '1.0.0');
	const { context, page } = await deviceContext(browser);
	const deviceId = await enroll(page, ma);

	const [install] = await operate(ma, deviceId, [{ kind: 'DownloadInstall', componentId: clock }], 'confirm', 'Install please');
	await expect(prompt(page)).toBeVisible();
	// Closed with the prompt open: it comes back from the journal when the app opens again.
	await page.reload();
	await expect(prompt(page)).toBeVisible();
	await expect(prompt(page).getByTestId('prompt-intent')).toHaveText('Install please');
	await expect(page.getByTestId('consent-prompt')).toHaveCount(1);

	// Accept, and reload at once, in the middle of the download and install.
	await prompt(page).getByRole('button', { name: 'Accept' }).click();
	await page.reload();
	const done = await result(ma, install!);
	expect(done.resultCode).toBe(1200);
	await expect(componentRow(page, clock)).toBeVisible();
	await expect(prompt(page)).toBeHidden();
	// Exactly one result per correlator, and the device agrees with the server.
	const inv = await ma.api.getInventory(deviceId);
	expect(inv.body.items.filter((i) => i.componentId === clock)).toHaveLength(1);
	await context.close();
});
