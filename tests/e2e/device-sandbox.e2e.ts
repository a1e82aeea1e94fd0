/**
 * The PWA's adapters in the real browser (IndexedDB stores, non-extractable key, component sandbox), through
 * the /device/selftest page; and components that crash, fail to start, or have a screen ('ui').
 */
import { test, expect } from '@playwright/test';
import { idFor, componentRow, deviceContext, enroll, newMa, operate, result, screenshot, upload } from './device-support';

test('the adapter checks pass in Chromium (storage, device key, sandbox isolation and failures)', async ({ browser }) => {
	const { context, page } = await deviceContext(browser);
	await page.goto('/device/selftest');
	await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
	await page.getByRole('button', { name: 'Run the checks' }).click();
	await expect(page.getByTestId('selftest-done')).toBeVisible({ timeout: 30_000 });
	const results = await page.getByTestId('selftest-result').evaluateAll((els) =>
		els.map((e) => ({ name: e.getAttribute('data-name'), ok: e.getAttribute('data-ok'), detail: e.querySelector('.detail')?.textContent }))
	);
	expect(results.map((r) => r.name)).toEqual(['state-store', 'package-store', 'device-key', 'sandbox-isolation', 'sandbox-failures']);
	for (const r of results) expect(r, JSON.stringify(r)).toMatchObject({ ok: 'true' });
	await context.close();
});

test('a crash reports Failed, a bundle that throws ends Start with 1450, a ui component shows its view', async ({ browser }) => {
	test.setTimeout(90_000);
	const ma = newMa('Sandbox MA');
	const unstable = await upload(ma, 'com.example.unstable', '1.0.0');
	const crasher = await upload(ma, 'com.example.crasher', '1.0.0');
	const faceId = idFor(ma, 'com.example.face');
	const face = {
		manifest: {
			id: faceId,
			name: 'Face',
			version: '1.0.0',
			description: 'Shows a greeting on its own screen.',
			permissions: ['ui'],
			compatibleBaselines: ['*'],
			entry: 'main.js'
		},
		// The img's onerror tries to run script in the view: the view's sandbox must not let it.
		bundle: `let n = 0; const t = setInterval(() => scomo.render('<h1>Hello from Face</h1><p>tick ' + (++n) + '</p><img src="x" onerror="parent.document.title = \\'pwned\\'">'), 200); scomo.onStop(() => clearInterval(t));`
	};
	expect((await ma.api.uploadPackage(face.manifest, face.bundle)).status).toBe(201);

	const { context, page } = await deviceContext(browser);
	const deviceId = await enroll(page, ma);

	const [u1, u2] = await operate(
		ma,
		deviceId,
		[
			{ kind: 'DownloadInstall', componentId: unstable },
			{ kind: 'Start', componentId: unstable }
		],
		'silent'
	);
	expect((await result(ma, u1!)).resultCode).toBe(1200);
	expect((await result(ma, u2!)).resultCode).toBe(1200);
	// Half a second later it crashes: Failed on the device and, through component:state, on the server.
	await expect(componentRow(page, unstable).getByTestId('component-state')).toHaveText('Failed');
	await expect
		.poll(async () => (await ma.api.getInventory(deviceId)).body.items.find((i) => i.componentId === unstable)?.operational)
		.toBe('Failed');

	const [c1, c2] = await operate(
		ma,
		deviceId,
		[
			{ kind: 'DownloadInstall', componentId: crasher },
			{ kind: 'Start', componentId: crasher }
		],
		'silent'
	);
	expect((await result(ma, c1!)).resultCode).toBe(1200);
	const crashed = await result(ma, c2!);
	expect(crashed.resultCode).toBe(1450);
	expect(crashed.resultMessage).toContain('crasher refuses to start');
	await expect(componentRow(page, crasher).getByTestId('component-state')).toHaveText('Failed');

	const [f1, f2] = await operate(
		ma,
		deviceId,
		[
			{ kind: 'DownloadInstall', componentId: faceId },
			{ kind: 'Start', componentId: faceId }
		],
		'silent'
	);
	expect((await result(ma, f1!)).resultCode).toBe(1200);
	expect((await result(ma, f2!)).resultCode).toBe(1200);
	const view = page.frameLocator(`iframe[data-component-view="${faceId}"]`);
	await expect(view.getByRole('heading', { name: 'Hello from Face' })).toBeVisible();
	await expect(view.getByText(/tick [2-9]/)).toBeVisible();
	// The view's iframe runs no scripts: the inline handler the component sent did nothing. First the proof
	// that it had its chance: the handler reached the view, and the image's load has failed (its error event
	// has fired, when an allowed handler would have run); only then is the title checked.
	await expect(page.locator(`iframe[data-component-view="${faceId}"]`)).toHaveAttribute('sandbox', 'allow-same-origin');
	const img = view.locator('img').first();
	await expect(img).toHaveAttribute('onerror', /pwned/);
	await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth === 0)).toBe(true);
	expect(await page.title()).not.toBe('pwned');
	await screenshot(page, 'device-components-390.png');

	const [stop] = await operate(ma, deviceId, [{ kind: 'Stop', componentId: faceId }], 'silent');
	expect((await result(ma, stop!)).resultCode).toBe(1200);
	await expect(page.locator(`iframe[data-component-view="${faceId}"]`)).toHaveCount(0);
	await context.close();
});
