/**
 * Helpers for the device PWA's end-to-end tests (tests/e2e/device-*.e2e.ts): an MA on the shared e2e server
 * (through the admin CLI on the same data directory, or an administrator signed in with a passkey plus an API
 * token), its REST client, the example packages, and a device browser context at 390 px that enrolls.
 */
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApiClient, type OperationView } from '../support/api-client';
import { adminCli, type CreatedMa } from '../support/admin-cli';
import { E2E_DATA_DIR, uniqueName } from './support/auth';

const ROOT = path.resolve(import.meta.dirname, '../..');
import { E2E_ORIGIN as BASE_URL } from './support/origin';
export { BASE_URL };
export const PHONE = { width: 390, height: 844 };

export type Ma = { maId: string; name: string; api: ApiClient };

/** A new MA with an operate token, made by the admin CLI (fast; no browser needed on the admin side). */
export function newMa(prefix = 'Device MA'): Ma {
	const ma = adminCli<CreatedMa>(E2E_DATA_DIR, ['create-ma', '--name', uniqueName(prefix)]);
	return { maId: ma.maId, name: ma.name, api: new ApiClient(BASE_URL, ma.token) };
}

/**
 * Component IDs are global (one MA owns each), and every e2e file shares one server: each MA gets its own copy
 * of an example, e.g. com.example.clock → com.example.clock.m1a2b3c4.
 */
export const idFor = (ma: Ma, exampleId: string) => `${exampleId}.m${ma.maId.replace(/-/g, '').slice(-10)}`;

/** An operate token for an MA that an administrator created in the admin UI. */
export function tokenFor(maId: string): ApiClient {
	const t = adminCli<{ token: string }>(E2E_DATA_DIR, ['create-token', '--ma', maId, '--scope', 'operate', '--name', 'device-e2e']);
	return new ApiClient(BASE_URL, t.token);
}

export function examplePackage(componentId: string, version: string): { manifest: Record<string, unknown>; bundle: string } {
	const dir = path.join(ROOT, 'examples/components', componentId, version);
	const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown> & { entry: string };
	return { manifest, bundle: readFileSync(path.join(dir, manifest.entry), 'utf8') };
}

/**
 * Uploads an example package and returns its component ID: given an Ma, as that MA's own copy (see idFor);
 * given an ApiClient (other suites use it so), under the example's own ID.
 */
export async function upload(target: Ma | ApiClient, exampleId: string, version: string): Promise<string> {
	const p = examplePackage(exampleId, version);
	const api = target instanceof ApiClient ? target : target.api;
	const id = target instanceof ApiClient ? exampleId : idFor(target, exampleId);
	const r = await api.uploadPackage({ ...p.manifest, id }, p.bundle);
	expect(r.status, JSON.stringify(r.body)).toBe(201);
	return id;
}

/** A fresh browser context for the device (its own IndexedDB, key and service worker), phone-sized. */
export async function deviceContext(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ baseURL: BASE_URL, viewport: PHONE });
	const page = await context.newPage();
	page.on('console', (m) => {
		if (m.type() === 'error' || m.type() === 'warning' || process.env.DEVICE_E2E_DEBUG) console.log(`[device ${m.type()}] ${m.text()}`);
	});
	page.on('pageerror', (e) => console.log(`[device pageerror] ${e.message}`));
	return { context, page };
}

/** Opens the enrollment link in the device page and waits until the home page shows the MA. */
export async function enroll(page: Page, ma: Ma): Promise<string> {
	const code = await ma.api.createEnrollmentCode({ label: 'e2e' });
	expect(code.status, JSON.stringify(code.body)).toBe(201);
	await page.goto(new URL(code.body.link).pathname + new URL(code.body.link).search);
	await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
	await expect(page.getByLabel('Enrollment code')).toHaveValue(code.body.code);
	await page.getByRole('button', { name: 'Enroll' }).click();
	await page.waitForURL((u) => u.pathname === '/device');
	await expect(maCard(page, ma)).toBeVisible();
	await expect(page.getByTestId('network-state')).toHaveText('Connected to the server');
	const devices = await ma.api.listDevices();
	expect(devices.body.items).toHaveLength(1);
	return devices.body.items[0]!.id;
}

export const maCard = (page: Page, ma: Ma) => page.locator(`[data-testid="ma-card"][data-ma-id="${ma.maId}"]`);
export const componentRow = (page: Page, componentId: string) =>
	page.locator(`[data-testid="component"][data-component-id="${componentId}"]`);
export const prompt = (page: Page) => page.getByTestId('consent-prompt');

/** Queues operations for one device and returns their correlators in order. */
export async function operate(
	ma: Ma,
	deviceId: string,
	operations: { kind: string; componentId?: string; version?: string }[],
	consentMode: 'silent' | 'notify' | 'confirm',
	intent = ''
): Promise<string[]> {
	const r = await ma.api.createOperations({
		deviceIds: [deviceId],
		operations: operations as never,
		consentMode,
		intent
	});
	expect(r.status, JSON.stringify(r.body)).toBe(202);
	return r.body.operations.sort((a, b) => a.seq - b.seq).map((o) => o.correlator);
}

/** Waits (generously) for the operation's result as the administrator sees it. */
export function result(ma: Ma, correlator: string, timeoutMs = 30_000): Promise<OperationView> {
	return ma.api.waitForOperation(correlator, (op) => op.resultCode !== null, timeoutMs);
}

/** The device's recent runtime events (the home page's diagnostics), for failure messages. */
export async function diagnostics(page: Page): Promise<string> {
	return (await page.getByTestId('diagnostics').textContent().catch(() => null)) ?? '(no diagnostics)';
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
	await page.screenshot({ path: path.join(ROOT, 'tests/e2e/screenshots', name), fullPage });
}
