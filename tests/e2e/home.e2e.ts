import { test, expect } from '@playwright/test';

test('the first page says what the product is and links to both sides', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1 })).toContainText('software components');
	await expect(page.getByRole('link', { name: 'Open the admin console' })).toHaveAttribute('href', '/admin');
	await expect(page.getByRole('link', { name: 'Open the device app' })).toHaveAttribute('href', '/device');
});

test('health reports database, realtime and version', async ({ request }) => {
	const res = await request.get('/healthz');
	expect(res.status()).toBe(200);
	const body = await res.json();
	expect(body).toMatchObject({ status: 'ok', database: true, realtime: true });
	expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
});

test('the first page fits a 390 px phone without horizontal scrolling', async ({ page }) => {
	await page.setViewportSize({ width: 390, height: 844 });
	await page.goto('/');
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	expect(overflow).toBeLessThanOrEqual(0);
	await page.screenshot({ path: 'tests/e2e/screenshots/home-390.png', fullPage: true });
	await page.setViewportSize({ width: 1280, height: 800 });
	await page.screenshot({ path: 'tests/e2e/screenshots/home-1280.png', fullPage: true });
});
