/**
 * Issue #19, walked as a new administrator and a device user would, at 390 px and 1280 px, with a real
 * passkey, a real headless agent and a real browser device: each defect of the issue is asserted fixed
 * (the numbers in the step names are the issue's). Writes screenshots of the main pages at both widths.
 */
import { test, expect, type Page } from '@playwright/test';
import { createMaWithOwner, gotoHydrated } from './support/auth';
import { agentOutputs, enrollAgent, stopAgents } from './support/agent';
import { createEnrollmentCode, expectResult, live, shoot } from './support/admin-console';
import { deviceContext, enroll, newMa, operate, prompt, result, upload, maCard } from './device-support';
import { examplePackageFiles } from './support/agent';
import { readFileSync } from 'node:fs';

test.afterEach(async ({}, testInfo) => {
	if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('agents', { body: agentOutputs(), contentType: 'text/plain' });
	await stopAgents();
});

const row = (page: Page, componentId: string) => page.locator(`[data-testid="component-row"][data-component="${componentId}"]`);

/**
 * Upload one version of the example clock under our own component ID, from the components page. `padTo`
 * pads its bundle with a comment to that many bytes (a download large enough to report progress).
 */
async function uploadClock(page: Page, componentId: string, version: string, padTo = 0) {
	await gotoHydrated(page, '/admin/components');
	// The examples have 1.0.0 and 1.1.0; a later version is 1.1.0's code under that number.
	const files = examplePackageFiles('com.example.clock', version === '1.0.0' ? '1.0.0' : '1.1.0');
	const manifest = JSON.stringify({ ...JSON.parse(readFileSync(files.manifest, 'utf8')), id: componentId, version });
	await page.getByLabel('Manifest (manifest.json)').setInputFiles({ name: 'manifest.json', mimeType: 'application/json', buffer: Buffer.from(manifest) });
	const code = readFileSync(files.bundle, 'utf8') + '\n//';
	const bundle = padTo > code.length ? code + 'x'.repeat(padTo - code.length) : code;
	await page.getByLabel('Bundle (the entry script, e.g. main.js)').setInputFiles({ name: 'main.js', mimeType: 'text/javascript', buffer: Buffer.from(bundle) });
	await page.getByRole('button', { name: 'Upload package' }).click();
	await expect(page.getByTestId('upload-ok')).toContainText(`Uploaded ${componentId} ${version}`);
}

test('the console, polished: approvals, versions, the operation sheet, errors, toasts, navigation, tap targets, confirmations, audit', async ({ page }) => {
	test.setTimeout(240_000);
	await page.setViewportSize({ width: 1280, height: 800 });
	const owner = await createMaWithOwner(page);

	await test.step('9: first run puts getting started first; the navigation is four groups on one row at 1280 px', async () => {
		await gotoHydrated(page, '/admin');
		const first = page.locator('main section, main ul.stats').first();
		await expect(first).toHaveAttribute('data-testid', 'getting-started');
		const groups = page.getByTestId('nav-groups').getByRole('link');
		await expect(groups).toHaveText(['Fleet', 'Software', 'Activity', 'Admin']);
		const tops = await groups.evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
		expect(new Set(tops).size, 'the groups fit one row').toBe(1);
	});

	await test.step('3: a picture as manifest and a missing field: errors in words, at the field', async () => {
		await gotoHydrated(page, '/admin/components');
		const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
		await page.getByLabel('Manifest (manifest.json)').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png });
		const err = page.getByTestId('manifest-error');
		await expect(err).toContainText('not a text file');
		await expect(err).not.toContainText('Unexpected token');
		await expect(page.getByLabel('Manifest (manifest.json)')).toHaveAttribute('aria-describedby', 'pkg-manifest-error');
		const { version: _v, ...noVersion } = JSON.parse(readFileSync(examplePackageFiles('com.example.clock', '1.0.0').manifest, 'utf8'));
		await page.getByLabel('Manifest (manifest.json)').setInputFiles({ name: 'manifest.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(noVersion)) });
		await expect(err).toHaveText('The manifest’s “version” is missing; add it, for example "version": "1.0.0".');
		// The server says the same when the form is sent anyway, and the refusal is audited.
		await page.getByLabel('Bundle (the entry script, e.g. main.js)').setInputFiles(examplePackageFiles('com.example.clock', '1.0.0').bundle);
		await page.getByRole('button', { name: 'Upload package' }).click();
		await expect(err).toContainText('“version” is missing');
	});

	const code = await createEnrollmentCode(page, 'Walk kiosk');
	const { deviceId } = await enrollAgent(code, { args: ['--model', 'Walk kiosk'] });
	const CLOCK = `com.example.clock-walk-${Date.now().toString(36)}`;
	await uploadClock(page, CLOCK, '1.0.0');
	await uploadClock(page, CLOCK, '1.1.0');

	await test.step('5: the sheet offers what makes sense, in plain words, with a preview of the device prompt', async () => {
		await gotoHydrated(page, `/admin/devices/${deviceId}`);
		await live(page);
		await row(page, CLOCK).getByRole('button', { name: 'Install', exact: true }).click();
		const sheet = page.getByTestId('operation-dialog');
		await expect(sheet).toBeVisible();
		await expect(sheet).not.toContainText(/SCOMO-|\(14\d\d\)/);
		await expect(sheet.getByRole('button', { name: /^Queue/ })).toHaveCount(0);
		await sheet.getByLabel('Version').selectOption('1.1.0');
		await sheet.getByRole('radio', { name: /^Ask the user/ }).check();
		await sheet.getByLabel('Message to the user (why you do this)').fill('New lobby clock');
		const preview = sheet.getByTestId('prompt-preview');
		await expect(preview).toContainText('asks to make a change on this device');
		await expect(preview).toContainText('New lobby clock');
		await expect(preview.getByTestId('preview-permissions')).toBeVisible();
		await sheet.getByRole('button', { name: 'Send to the device' }).click();
		await expect(sheet).toBeHidden();
		await expectResult(page, 'DownloadInstall', 'Successful');
	});

	await test.step('4 and 8: with the highest version installed, no Update, an explicit Downgrade; Start first, Remove last', async () => {
		const r = row(page, CLOCK);
		await expect(r.getByTestId('version')).toHaveText('v1.1.0');
		const buttons = r.getByRole('group').getByRole('button');
		await expect(buttons.first()).toHaveText('Start');
		await expect(buttons.last()).toHaveText('Remove');
		await expect(r.getByRole('button', { name: 'Update…' })).toHaveCount(0);
		await r.getByRole('button', { name: 'Downgrade…' }).click();
		const sheet = page.getByTestId('operation-dialog');
		await expect(sheet.getByLabel('Go back to version').locator('option')).toHaveText(['1.0.0']);
		// 11: Back closes the sheet and stays on the page.
		const url = page.url();
		await page.goBack();
		await expect(sheet).toBeHidden();
		expect(page.url()).toBe(url);
	});

	let batchId = '';
	await test.step('1: Remove says before sending that approval is needed; after Later it reads "Awaiting approval" everywhere', async () => {
		await row(page, CLOCK).getByRole('button', { name: 'Remove' }).click();
		const sheet = page.getByTestId('operation-dialog');
		await expect(sheet.getByTestId('needs-approval')).toContainText('Remove is a high-risk operation here');
		await sheet.getByLabel('Message to the user (why you do this)').fill('Retire the lobby clock');
		await sheet.getByRole('button', { name: 'Send for approval' }).click();
		await expect(sheet).toHaveAttribute('data-awaiting-approval', 'true');
		await sheet.getByRole('button', { name: 'Later' }).click();
		await expect(page.getByTestId('toast').filter({ hasText: 'Awaiting approval' })).toBeVisible();
		await page.reload();
		const removal = page.getByTestId('operation').and(page.locator('[data-kind="Remove"]')).first();
		await expect(removal.getByTestId('result')).toHaveAttribute('data-status', 'awaiting-approval');
		await expect(removal.getByTestId('result')).toHaveText('Awaiting approval');
		batchId = (await removal.getByRole('link', { name: /^Job/ }).getAttribute('href'))!.split('/').pop()!;
		await expect(page.getByTestId('nav-groups')).toContainText('Activity1');
		await gotoHydrated(page, '/admin');
		await expect(page.getByTestId('stat-approvals')).toHaveText('1');
		await gotoHydrated(page, '/admin/jobs');
		await expect(page.getByTestId('job-awaiting-approval')).toHaveCount(1);
	});

	await test.step('1 and 13: the approver sees the requester by name and rejects with a reason; one time format with its zone', async () => {
		await gotoHydrated(page, '/admin/high-risk');
		const pending = page.locator(`[data-batch-id="${batchId}"]`);
		await expect(pending.getByTestId('requester')).toHaveText(owner.displayName);
		await expect(pending).toContainText(/\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
		await shoot(page, 'approvals');
		await pending.getByRole('button', { name: 'Reject…' }).click();
		await pending.getByRole('button', { name: 'Reject', exact: true }).click();
		await expect(pending.getByRole('alert')).toContainText('Say why');
		await pending.getByLabel(/Why do you reject it/).fill('Still in use in the lobby');
		await pending.getByRole('button', { name: 'Reject', exact: true }).click();
		await expect(page.locator('main > p[role="status"]')).toContainText('Rejected. 1 operation will not run.');
		await expect(page.getByTestId('no-pending')).toBeVisible();
		await gotoHydrated(page, `/admin/devices/${deviceId}`);
		const removal = page.getByTestId('operation').and(page.locator('[data-kind="Remove"]')).first();
		await expect(removal.getByTestId('result')).toContainText('Operation cancelled');
		await expect(removal).toContainText('rejected: Still in use in the lobby');
	});

	await test.step('2: the job shows its progress segmented by outcome', async () => {
		await gotoHydrated(page, `/admin/jobs/${batchId}`);
		const bar = page.getByTestId('progress-bar');
		await expect(bar).toHaveAttribute('data-failed', '1');
		await expect(bar).toHaveAttribute('data-succeeded', '0');
	});

	await test.step('7 and 10 at 390 px: one toast at a time; tap targets at least 44 px; the MA name is not cut', async () => {
		await page.setViewportSize({ width: 390, height: 844 });
		await gotoHydrated(page, `/admin/devices/${deviceId}`);
		await live(page);
		for (const [button, kind] of [['Start', 'Start'], ['Stop', 'Stop']] as const) {
			await row(page, CLOCK).getByRole('button', { name: button, exact: true }).click();
			const sheet = page.getByTestId('operation-dialog');
			await sheet.getByRole('button', { name: /^Send/ }).click();
			await expect(sheet).toBeHidden();
			await expectResult(page, kind, 'Successful');
		}
		expect(await page.locator('[data-testid="toast"]:visible').count()).toBeLessThanOrEqual(1);
		for (const link of await page.getByTestId('operations').getByRole('link').all()) {
			const box = (await link.boundingBox())!;
			expect(box.height, `${await link.textContent()} is tall enough to tap`).toBeGreaterThanOrEqual(44);
		}
		const sw = page.locator('#ma-switch');
		expect(await sw.evaluate((e) => (e as HTMLSelectElement).scrollWidth <= (e as HTMLSelectElement).clientWidth)).toBe(true);
		await page.getByRole('button', { name: 'Menu' }).click();
		await expect(page.locator('#admin-nav')).toContainText('Fleet');
		await page.setViewportSize({ width: 1280, height: 800 });
	});

	let slowId = '';
	const BIG = `com.example.big-walk-${Date.now().toString(36)}`;
	await test.step('19.1: a 2 MB install shows its phase and a bar with "x of y MB" on the device and job pages', async () => {
		// This agent stops for good right after storing a package (the crash-test fault): its download has
		// reported every byte and no result follows, so the bar stays on screen to be looked at. It also asks
		// the MA for the clock (a device request for the next steps).
		const slowCode = await createEnrollmentCode(page, 'Slow kiosk');
		({ deviceId: slowId } = await enrollAgent(slowCode, {
			args: ['--model', 'Slow kiosk', '--request', CLOCK, '--note', 'For the lobby'],
			env: { AGENT_FAULT_INJECTION: 'pause-after-package-store' }
		}));
		await uploadClock(page, BIG, '1.0.0', 2 * 1024 * 1024);
		await gotoHydrated(page, `/admin/devices/${slowId}`);
		await live(page);
		await row(page, BIG).getByRole('button', { name: 'Install', exact: true }).click();
		const sheet = page.getByTestId('operation-dialog');
		await sheet.getByRole('button', { name: 'Send to the device' }).click();
		await expect(sheet).toBeHidden();
		// Live, without a reload: the whole body arrived (the last tick always goes out).
		const bar = row(page, BIG).getByTestId('download-progress');
		await expect(bar).toHaveAttribute('data-bytes-done', /^\d+$/);
		await expect.poll(async () => Number(await bar.getAttribute('data-bytes-done'))).toBeGreaterThanOrEqual(2 * 1024 * 1024);
		expect(await bar.getAttribute('data-bytes-done')).toBe(await bar.getAttribute('data-bytes-total'));
		await expect(bar.getByTestId('download-bytes')).toHaveText(/^2\.\d of 2\.\d MB$/);
		await expect(bar).toContainText('Downloading');
		await expect(bar.locator('progress')).toBeVisible();
		await shoot(page, 'walk-device-progress');
		// A page opened afterwards shows it too: the server keeps the latest progress in memory.
		const job = (await page.getByTestId('operation').and(page.locator('[data-kind="DownloadInstall"]')).first().getByRole('link', { name: /^Job/ }).getAttribute('href'))!;
		await gotoHydrated(page, job);
		await expect(page.getByTestId('job-device').getByTestId('download-bytes')).toHaveText(/^2\.\d of 2\.\d MB$/);
		await shoot(page, 'walk-job-progress');
	});

	await test.step('19.6: Update offers only versions newer than what the picked devices have', async () => {
		await uploadClock(page, CLOCK, '1.2.0');
		await gotoHydrated(page, `/admin/components/${CLOCK}`);
		await live(page);
		await page.getByRole('button', { name: 'Update devices…' }).click();
		const sheet = page.getByTestId('operation-dialog');
		// The Walk kiosk has 1.1.0: neither 1.0.0 (a downgrade) nor 1.1.0 itself is offered.
		await expect(sheet.getByRole('group', { name: 'Devices' })).toContainText('has 1.1.0');
		await expect(sheet.getByLabel('Version').locator('option')).toHaveText(['1.2.0']);
		await page.screenshot({ path: 'tests/e2e/screenshots/admin-walk-update-sheet-1280.png' });
		await sheet.getByRole('button', { name: 'Cancel' }).click();
		await expect(sheet).toBeHidden();
	});

	await test.step('19.5: refusing a device request asks first; Keep keeps it, Refuse tells the device', async () => {
		await gotoHydrated(page, '/admin/requests');
		const request = page.getByTestId('request').filter({ hasText: 'Slow kiosk' });
		await expect(request).toContainText(`Install ${CLOCK}`);
		await request.getByRole('button', { name: /^Refuse install/ }).click();
		const confirm = request.getByTestId('confirm-action');
		await expect(confirm).toContainText('Refuse this request?');
		await shoot(page, 'walk-requests-confirm');
		await confirm.getByRole('button', { name: 'Keep' }).click();
		await expect(confirm).toHaveCount(0);
		await expect(request).toHaveCount(1);
		await request.getByRole('button', { name: /^Refuse install/ }).click();
		await confirm.getByLabel(/^Why/).fill('Not for this kiosk');
		await confirm.getByRole('button', { name: 'Refuse', exact: true }).click();
		await expect(page.getByRole('status').filter({ hasText: 'Refused; the device was told.' })).toBeVisible();
		await expect(request).toHaveCount(0);
	});

	await test.step('11: a new token has a Copy button; revoking asks first, and Keep keeps it', async () => {
		await gotoHydrated(page, '/admin/tokens');
		await page.getByLabel('Name').fill('Walk script');
		await page.getByRole('button', { name: 'Create token' }).click();
		await expect(page.getByTestId('new-token')).toBeVisible();
		await expect(page.getByTestId('copy')).toBeVisible();
		await page.getByRole('button', { name: 'Revoke Walk script' }).click();
		const confirm = page.getByTestId('confirm-action');
		await expect(confirm).toContainText('Every script using it is refused');
		await confirm.getByRole('button', { name: 'Keep' }).click();
		await expect(confirm).toHaveCount(0);
		await expect(page.getByTestId('token-list')).not.toContainText('revoked');
	});

	await test.step('12: the audit log in sentences, refused actions included, exported as CSV', async () => {
		await gotoHydrated(page, '/admin/audit');
		const events = page.getByTestId('audit-events');
		await expect(events).not.toContainText('{"');
		await expect(events.locator('[data-action="package.upload"][data-outcome="refused"]').first()).toContainText('uploaded a component (why:');
		await expect(events.locator('[data-action="batch.reject"]')).toContainText('Still in use in the lobby');
		const csv = await page.request.get('/admin/audit/export.csv?outcome=refused');
		expect(csv.headers()['content-type']).toContain('text/csv');
		const lines = (await csv.text()).trim().split('\r\n');
		expect(lines[0]).toBe('"time (UTC)","who","action","outcome","target","sentence","detail"');
		expect(lines.length).toBeGreaterThan(1);
		expect(lines.slice(1).every((l) => l.includes('"refused"'))).toBe(true);
	});

	await test.step('screenshots of the main pages at 390 px and 1280 px (no sideways scrolling)', async () => {
		for (const [name, path] of [
			['overview', '/admin'],
			['device', `/admin/devices/${deviceId}`],
			['component', `/admin/components/${CLOCK}`],
			['job', `/admin/jobs/${batchId}`],
			['audit', '/admin/audit'],
			// The revoke lists and the passkey form (one component each).
			['tokens', '/admin/tokens'],
			['members', '/admin/members'],
			['enrollment', '/admin/enrollment'],
			['requests', '/admin/requests'],
			['account', '/admin/account']
		] as const) {
			await gotoHydrated(page, path);
			await shoot(page, `walk-${name}`);
		}
		// The operation sheet on a phone, with its prompt preview.
		await gotoHydrated(page, `/admin/devices/${deviceId}`);
		await page.setViewportSize({ width: 390, height: 844 });
		await row(page, CLOCK).getByRole('button', { name: 'Deactivate', exact: true }).click();
		await expect(page.getByTestId('prompt-preview')).toBeVisible();
		await page.screenshot({ path: 'tests/e2e/screenshots/admin-walk-sheet-390.png' });
		await page.keyboard.press('Escape');
		await expect(page.getByTestId('operation-dialog')).toBeHidden();
		await page.setViewportSize({ width: 1280, height: 800 });
	});
});

test('the device app, polished: presence, components first, notices collapsed, plain words, prompts, dates, enrollment codes', async ({ browser }) => {
	test.setTimeout(180_000);
	const ma = newMa('Walk device MA');
	const { context, page } = await deviceContext(browser);
	const clock = await upload(ma, 'com.example.clock', '1.0.0');

	await test.step('15: a mistyped code and a used code say which, and what to do', async () => {
		await page.goto('/device/enroll');
		await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
		await page.getByLabel('Enrollment code').fill('not-a-real-code-123');
		await page.getByRole('button', { name: 'Enroll' }).click();
		await expect(page.getByRole('alert')).toContainText('not recognised');
	});

	const deviceId = await enroll(page, ma);

	await test.step('8: one presence indicator', async () => {
		await expect(page.getByTestId('network-state')).toHaveText('Connected to the server');
		await expect(page.getByText('Connecting to the server…')).toHaveCount(0);
	});

	await test.step('19.1: the device page shows a download under way with its bytes', async () => {
		const files = examplePackageFiles('com.example.clock', '1.0.0');
		const big = `com.example.bigdevice${Date.now().toString(36)}`;
		const code = readFileSync(files.bundle, 'utf8') + '\n//';
		const up = await ma.api.uploadPackage({ ...JSON.parse(readFileSync(files.manifest, 'utf8')), id: big }, code + 'x'.repeat(2 * 1024 * 1024));
		expect(up.status).toBe(201);
		// The download takes a moment on this machine: what the page showed meanwhile is recorded as it changes.
		await page.evaluate(() => {
			const seen: { done: number; total: number; text: string }[] = [];
			(window as unknown as { __progress: typeof seen }).__progress = seen;
			new MutationObserver(() => {
				for (const el of document.querySelectorAll('[data-testid="device-progress"]')) {
					const done = Number(el.getAttribute('data-bytes-done'));
					const total = Number(el.getAttribute('data-bytes-total'));
					if (total && seen.at(-1)?.done !== done) seen.push({ done, total, text: el.querySelector('[data-testid="device-progress-bytes"]')?.textContent ?? '' });
				}
			}).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
		});
		const [install] = await operate(ma, deviceId, [{ kind: 'DownloadInstall', componentId: big }], 'silent');
		expect((await result(ma, install!)).resultCode).toBe(1200);
		const seen = await page.evaluate(() => (window as unknown as { __progress: { done: number; total: number; text: string }[] }).__progress);
		expect(seen.length, 'the bar was on screen').toBeGreaterThan(0);
		for (const s of seen) {
			expect(s.total).toBeGreaterThanOrEqual(2 * 1024 * 1024);
			expect(s.done).toBeLessThanOrEqual(s.total);
			expect(s.text).toMatch(/^\d\.\d of 2\.\d MB$/);
		}
		expect(seen.map((x) => x.done)).toEqual([...seen.map((x) => x.done)].sort((a, b) => a - b));
		// Done: the section goes with the result.
		await expect(page.getByTestId('under-way')).toHaveCount(0);
		const [remove] = await operate(ma, deviceId, [{ kind: 'Remove', componentId: big }], 'silent');
		expect((await result(ma, remove!)).resultCode).toBe(1200);
	});

	await test.step('6: a Stop prompt lists no install permissions; outcomes in plain words; dates without seconds', async () => {
		const [install, start] = await operate(ma, deviceId, [{ kind: 'DownloadInstall', componentId: clock }, { kind: 'Start', componentId: clock }], 'notify', 'The old clock is deleted.');
		expect((await result(ma, install!)).resultCode).toBe(1200);
		expect((await result(ma, start!)).resultCode).toBe(1200);
		const [stop] = await operate(ma, deviceId, [{ kind: 'Stop', componentId: clock }], 'confirm', 'Maintenance');
		await expect(prompt(page)).toBeVisible();
		await expect(prompt(page).locator('[data-permission]')).toHaveCount(0);
		await expect(prompt(page)).not.toContainText('no extra permissions');
		await prompt(page).getByRole('button', { name: 'Refuse' }).click();
		expect((await result(ma, stop!)).resultCode).toBe(1401);
		const activity = maCard(page, ma).getByTestId('activity');
		await expect(activity).toContainText('You said no');
		await expect(activity).not.toContainText('Successful');
		await expect(activity.locator('time').first()).not.toHaveText(/\d:\d\d:\d\d/);
	});

	await test.step('14: components come first; notices are collapsed, read once opened, and read as sentences', async () => {
		const order = await page.evaluate(() => {
			const c = document.querySelector('[data-testid="components"]')!;
			const n = document.querySelector('[data-testid="notices"]')!;
			return c.compareDocumentPosition(n) & Node.DOCUMENT_POSITION_FOLLOWING;
		});
		expect(order).toBeTruthy();
		const notices = page.getByTestId('notices');
		await expect(notices).not.toHaveAttribute('open', '');
		await expect(page.getByTestId('notices-new')).toBeVisible();
		await notices.locator('summary').click();
		await expect(page.getByTestId('notices-new')).toHaveCount(0);
		const before = page.getByTestId('notice').filter({ hasText: 'is changing this device' }).first();
		await expect(before).toContainText('Why: The old clock is deleted.');
		await expect(before).not.toContainText('.;');
	});

	await test.step('14: after a removal the device says so plainly', async () => {
		const [remove] = await operate(ma, deviceId, [{ kind: 'Remove', componentId: clock }], 'silent');
		expect((await result(ma, remove!)).resultCode).toBe(1200);
		await expect(page.getByTestId('no-components')).toHaveText('No components on this device. What an organisation installs appears here.');
		await page.screenshot({ path: 'tests/e2e/screenshots/device-walk-home-390.png', fullPage: true });
		await page.setViewportSize({ width: 1280, height: 800 });
		await page.screenshot({ path: 'tests/e2e/screenshots/device-walk-home-1280.png', fullPage: true });
	});

	await test.step('15: the code this device used says it was used', async () => {
		const used = await ma.api.createEnrollmentCode({ label: 'once' });
		const other = await deviceContext(browser);
		await other.page.goto(new URL(used.body.link).pathname + new URL(used.body.link).search);
		await other.page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
		await other.page.getByRole('button', { name: 'Enroll' }).click();
		await other.page.waitForURL((u) => u.pathname === '/device');
		const again = await deviceContext(browser);
		await again.page.goto(new URL(used.body.link).pathname + new URL(used.body.link).search);
		await again.page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
		await again.page.getByRole('button', { name: 'Enroll' }).click();
		await expect(again.page.getByRole('alert')).toContainText('already used');
		await expect(again.page.getByRole('alert')).toContainText('Ask the administrator for a new code');
		await other.context.close();
		await again.context.close();
	});
	await context.close();
});
