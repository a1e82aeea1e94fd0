/**
 * Steps of the admin console shared by the admin-*.e2e.ts files: enrollment codes, package upload,
 * operations from a device page, live checks (no reload), and screenshots at phone and desktop widths.
 */
import { expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { gotoHydrated } from './auth';
import { examplePackageFiles } from './agent';

/** The page must have connected to the /admin channel before the events we wait for are sent. */
export async function live(page: Page) {
	await expect(page.getByTestId('live-status')).toHaveAttribute('data-live', 'true');
}

/** A marker that survives only as long as the document does: proves results arrived without a reload. */
export async function markDocument(page: Page) {
	await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
}
export async function expectSameDocument(page: Page) {
	expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
}

export async function createEnrollmentCode(page: Page, label: string): Promise<string> {
	await gotoHydrated(page, '/admin/enrollment');
	await page.getByLabel('Label (optional, for you)').fill(label);
	await page.getByRole('button', { name: 'Create enrollment code' }).click();
	const created = page.getByTestId('new-enrollment');
	await expect(created.locator('svg')).toBeVisible();
	const link = new URL(await page.getByTestId('enrollment-link').inputValue());
	expect(link.pathname).toBe('/device/enroll');
	const code = link.searchParams.get('code')!;
	await expect(page.getByTestId('enrollment-code')).toHaveText(code);
	return code;
}

/**
 * Upload an example package under a component ID of this test's own: component IDs belong to one MA for
 * good and every e2e file shares one server. The manifest goes as a file or pasted, the bundle as a file.
 */
export async function uploadExample(page: Page, example: string, version: string, componentId: string, via: 'file' | 'paste') {
	await gotoHydrated(page, '/admin/components');
	const files = examplePackageFiles(example, version);
	const manifest = JSON.stringify({ ...JSON.parse(readFileSync(files.manifest, 'utf8')), id: componentId }, null, 2);
	if (via === 'file') {
		await page.getByLabel('Manifest (manifest.json)').setInputFiles({ name: 'manifest.json', mimeType: 'application/json', buffer: Buffer.from(manifest) });
		await expect(page.getByTestId('manifest-check')).toContainText('Manifest looks right');
	} else {
		await page.getByText('Or paste the manifest JSON').click();
		// A broken manifest is refused before anything is stored, in words.
		await page.getByLabel('Manifest JSON').fill(manifest.replace('"1.0.0"', '"one"'));
		await page.getByLabel('Bundle (the entry script, e.g. main.js)').setInputFiles(files.bundle);
		await page.getByRole('button', { name: 'Upload package' }).click();
		await expect(page.getByTestId('manifest-error')).toContainText('The manifest’s “version” must look like 1.2.3');
		await page.getByLabel('Manifest JSON').fill(manifest);
	}
	await page.getByLabel('Bundle (the entry script, e.g. main.js)').setInputFiles(files.bundle);
	await page.getByRole('button', { name: 'Upload package' }).click();
	await expect(page.getByTestId('upload-ok')).toContainText(`Uploaded ${componentId} ${version}`);
	const card = page.getByTestId('component').filter({ hasText: componentId });
	await expect(card.getByTestId('versions')).toContainText(version);
	// SCOMO-SEC-03: uploads are signed with the MA's key, and the console says so.
	await expect(card.getByText('signed', { exact: true })).toBeVisible();
}

/** Press an operation on a component row, answer the consent sheet, and queue it. */
export async function operate(page: Page, componentId: string, button: string, intent: string, highRisk = button === 'Remove') {
	const row = page.getByTestId('component-row').and(page.locator(`[data-component="${componentId}"]`));
	await row.getByRole('button', { name: button, exact: true }).click();
	const sheet = page.getByTestId('operation-dialog');
	await expect(sheet).toBeVisible();
	await sheet.getByRole('radio', { name: /^Ask the user/ }).check();
	await sheet.getByLabel('Message to the user (why you do this)').fill(intent);
	await sheet.getByRole('button', { name: /^Send/ }).click();
	// High-risk operations (Remove, by the MA's default policy) wait for this administrator's passkey.
	if (highRisk) {
		await expect(sheet).toHaveAttribute('data-awaiting-approval', 'true');
		await sheet.getByRole('button', { name: /^Approve now with my passkey/ }).click();
	}
	await expect(sheet).toBeHidden();
}

export function componentRow(page: Page, componentId: string) {
	return page.locator(`[data-testid="inventory"] [data-component="${componentId}"]`);
}

/** The newest operation of a kind in the device's history, once it has its result. */
export async function expectResult(page: Page, kind: string, resultName: string) {
	const op = page.getByTestId('operation').and(page.locator(`[data-kind="${kind}"]`)).first();
	// Real processes on a shared machine: allow for a slow moment, never for a reload.
	await expect(op.getByTestId('result')).toContainText(resultName, { timeout: 20_000 });
	await expect(op).toContainText(/corr\. \S{8,}/);
}

/**
 * Screenshots of the current page at 390 px and 1280 px into tests/e2e/screenshots/ (not committed), and
 * no sideways scrolling at either width.
 */
export async function shoot(page: Page, name: string): Promise<void> {
	const before = page.viewportSize();
	for (const [w, h] of [
		[390, 844],
		[1280, 800]
	] as const) {
		await page.setViewportSize({ width: w, height: h });
		await page.evaluate(() => window.scrollTo(0, 0));
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		expect(overflow, `${name} scrolls sideways at ${w} px`).toBeLessThanOrEqual(0);
		await page.screenshot({ path: `tests/e2e/screenshots/admin-${name}-${w}.png`, fullPage: true });
	}
	if (before) await page.setViewportSize(before);
}
