import { test, expect } from '@playwright/test';

test('the device PWA has a valid web app manifest with installable icons', async ({ request }) => {
	const res = await request.get('/manifest.webmanifest');
	expect(res.status()).toBe(200);
	const m = await res.json();
	expect(m).toMatchObject({ start_url: '/device', scope: '/device', display: 'standalone' });
	expect(m.name).toBeTruthy();
	const sizes = m.icons.map((i: { sizes: string }) => i.sizes);
	expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
	for (const icon of m.icons) {
		const r = await request.get(icon.src);
		expect(r.status(), icon.src).toBe(200);
		expect(r.headers()['content-type']).toContain('image/png');
	}
});

test('the device shell opens offline once the service worker has precached it', async ({ page, context }) => {
	await page.goto('/device');
	await expect(page.getByTestId('device-home')).toBeVisible();
	// Wait until the workbox service worker is active and controls the page.
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	await page.reload();
	await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

	await context.setOffline(true);
	await page.goto('/device/enroll?code=ABC123');
	await expect(page.getByRole('heading', { name: 'Enroll this device' })).toBeVisible();
	await expect(page.getByLabel('Enrollment code')).toHaveValue('ABC123');
	await expect(page.getByTestId('network-state')).toHaveText('Offline');
	await page.goto('/device');
	await expect(page.getByTestId('device-home')).toBeVisible();
	await context.setOffline(false);
});
