/**
 * Enrollment of the PWA (typed code, link, a second MA on the same device with the same baseline,
 * SCOMO-HLFR-9), leaving an MA (its components are removed), and device requests (SCOMO-Device-06): browse
 * the catalog, ask for an install, get the MA's answer as a notice.
 */
import { test, expect } from '@playwright/test';
import { componentRow, deviceContext, enroll, maCard, newMa, operate, prompt, result, upload } from './device-support';

test('a typed code enrolls; a bad one is explained; a second MA enrolls the same device and baseline; leaving removes its components', async ({
	browser
}) => {
	test.setTimeout(90_000);
	const first = newMa('First MA');
	const second = newMa('Second MA');
	const firstClock = await upload(first, 'com.example.clock', '1.0.0');
	const secondClock = await upload(second, 'com.example.clock', '1.0.0');
	const { context, page } = await deviceContext(browser);

	// A wrong code: a clear message, nothing enrolled.
	await page.goto('/device/enroll');
	await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
	await page.getByLabel('Enrollment code').fill('NOT-A-REAL-CODE');
	await page.getByRole('button', { name: 'Enroll' }).click();
	await expect(page.getByRole('alert')).toContainText('This code is not recognised');

	// Typed code (no link).
	const code = await first.api.createEnrollmentCode({ label: 'typed' });
	await page.getByLabel('Enrollment code').fill(code.body.code);
	await page.getByRole('button', { name: 'Enroll' }).click();
	await page.waitForURL((u) => u.pathname === '/device');
	await expect(maCard(page, first)).toBeVisible();
	const firstView = (await first.api.listDevices()).body.items[0]!;
	expect(firstView.baselineBuildId).toMatch(/^scomo-pwa-/);
	expect(firstView.kind).toBe('pwa');
	const baseline = await page.getByTestId('baseline').textContent();
	expect(baseline).toBe(firstView.baselineBuildId);

	// The second MA enrolls the SAME device (same ID, same key, same baseline).
	const deviceId = await enroll(page, second);
	expect(deviceId).toBe(firstView.id);
	expect((await second.api.getDevice(deviceId)).body.device.baselineBuildId).toBe(baseline);
	await expect(maCard(page, first)).toBeVisible();
	await expect(page.getByTestId('baseline')).toHaveText(baseline!);

	for (const [ma, id] of [
		[first, firstClock],
		[second, secondClock]
	] as const) {
		const [c] = await operate(ma, deviceId, [{ kind: 'DownloadInstall', componentId: id }, { kind: 'Start', componentId: id }], 'silent');
		expect((await result(ma, c!)).resultCode).toBe(1200);
	}
	await expect(componentRow(page, secondClock).getByTestId('component-state')).toHaveText('Running');
	// SCOMO-ADC-3: each MA sees only its own component.
	expect((await second.api.getInventory(deviceId)).body.items.map((i) => i.componentId)).toEqual([secondClock]);

	// Leave the second MA: its component is stopped and removed; the first MA's stays.
	const card = maCard(page, second);
	await card.getByRole('button', { name: `Leave ${second.name}` }).click();
	await card.getByRole('button', { name: 'Leave and remove' }).click();
	await expect(maCard(page, second)).toHaveCount(0);
	await expect(componentRow(page, secondClock)).toHaveCount(0);
	await expect(componentRow(page, firstClock).getByTestId('component-state')).toHaveText('Running');
	// The server learns the new inventory on the next connection (there is no "leave" endpoint).
	await expect.poll(async () => (await second.api.getInventory(deviceId)).body.items.length).toBe(0);
	// What the left MA still sends is refused, not run: the device verifies every command before anything
	// else, and the MA is no longer in its identity, so the command is not addressed to it any more (1456).
	const [late] = await operate(second, deviceId, [{ kind: 'DownloadInstall', componentId: secondClock }], 'silent');
	const refused = await result(second, late!);
	expect(refused).toMatchObject({ status: 'failed', resultCode: 1456 });
	await expect(componentRow(page, secondClock)).toHaveCount(0);
	await context.close();
});

test('the user asks for an install from the catalog; the answer comes back as a notice', async ({ browser }) => {
	test.setTimeout(90_000);
	const ma = newMa('Catalog MA');
	const clock = await upload(ma, 'com.example.clock', '1.0.0');
	const { context, page } = await deviceContext(browser);
	const deviceId = await enroll(page, ma);

	const card = maCard(page, ma);
	await card.getByRole('button', { name: 'Browse catalog' }).click();
	const entry = card.locator(`[data-testid="catalog-entry"][data-component-id="${clock}"]`);
	await expect(entry).toContainText('Clock');
	await card.getByLabel('Note for the administrator (optional)').fill('For the lobby, please');
	await entry.getByRole('button', { name: 'Ask to install 1.0.0' }).click();
	await expect(entry.getByRole('status')).toContainText('Request sent');

	const requests = await ma.api.listDeviceRequests('pending');
	const request = requests.body.items.find((r) => r.deviceId === deviceId && r.componentId === clock);
	expect(request).toMatchObject({ kind: 'DownloadInstall', note: 'For the lobby, please' });

	// The MA approves (confirm mode): a notice tells the user, then the install asks for the usual consent.
	const decided = await ma.api.decideDeviceRequest(request!.id, { decision: 'approve', consentMode: 'confirm', message: 'Approved for the lobby' });
	expect(decided.status, JSON.stringify(decided.body)).toBe(200);
	await expect(page.getByTestId('notice').filter({ hasText: 'Your request was approved' })).toContainText('Approved for the lobby');
	await expect(prompt(page)).toBeVisible();
	await prompt(page).getByRole('button', { name: 'Accept' }).click();
	expect((await result(ma, decided.body.operation!.correlator)).resultCode).toBe(1200);
	await expect(componentRow(page, clock)).toBeVisible();

	// A refused request comes back as a notice too.
	await card.getByRole('button', { name: 'Hide catalog' }).click();
	const other = await upload(ma, 'com.example.unstable', '1.0.0');
	await card.getByRole('button', { name: 'Browse catalog' }).click();
	await card.locator(`[data-testid="catalog-entry"][data-component-id="${other}"]`).getByRole('button', { name: 'Ask to install 1.0.0' }).click();
	const pending = (await ma.api.listDeviceRequests('pending')).body.items.find((r) => r.componentId === other);
	expect((await ma.api.decideDeviceRequest(pending!.id, { decision: 'refuse', message: 'Not on this device' })).status).toBe(200);
	await expect(page.getByTestId('notice').filter({ hasText: 'Your request was refused' })).toContainText('Not on this device');
	await context.close();
});

test('a second tab waits while the first runs the device, then takes over', async ({ browser }) => {
	test.setTimeout(60_000);
	const ma = newMa('Tabs MA');
	const clock = await upload(ma, 'com.example.clock', '1.0.0');
	const { context, page } = await deviceContext(browser);
	const deviceId = await enroll(page, ma);

	// Two tabs with the same device key would both execute commands: only one runs the runtime.
	const second = await context.newPage();
	await second.goto('/device');
	await expect(second.getByText('already open in another tab')).toBeVisible();
	await page.close();
	await expect(second.getByTestId('network-state')).toHaveText('Connected to the server');
	await expect(second.getByText('already open in another tab')).toHaveCount(0);
	const [install] = await operate(ma, deviceId, [{ kind: 'DownloadInstall', componentId: clock }], 'silent');
	expect((await result(ma, install!)).resultCode).toBe(1200);
	await expect(componentRow(second, clock)).toBeVisible();
	await context.close();
});
