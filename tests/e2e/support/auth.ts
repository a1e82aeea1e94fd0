/**
 * Reusable e2e helpers for administrators with real passkeys (Chromium's virtual authenticator over CDP).
 *
 * All e2e files share ONE server and data directory and run alphabetically, so a helper can never assume
 * it runs first. The approach:
 * - `createMaWithOwner(page)` always works: it asks the CLI (`scripts/setup-link.ts`, on the same data
 *   directory) for a fresh one-time setup link, opens it, creates a new MA with a unique name and registers
 *   the owner's passkey in this page's virtual authenticator. Every test file gets its own MA, so tests do
 *   not see each other's devices or operations (SCOMO-ADC-3 keeps them apart).
 * - Only tests/e2e/auth.e2e.ts uses the link the server printed at start (`readFirstRunLink()`): nobody
 *   else may consume it.
 * - More administrators of the same MA: `addAdmin(browser, ownerPage, role)` invites one from the owner's
 *   page and accepts in a new browser context with its own authenticator.
 */
import { expect, type Browser, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PROJECT_ROOT = path.resolve(import.meta.dirname, '../../..');

/** The server's data directory (set by playwright.config.ts for the runner and every worker). */
export const E2E_DATA_DIR = process.env.E2E_DATA_DIR ?? '';

export type Role = 'owner' | 'operator' | 'viewer';

export type VirtualAuthenticator = {
	cdp: CDPSession;
	authenticatorId: string;
	/** The passkeys the authenticator holds (resident credentials). */
	credentials(): Promise<{ credentialId: string; isResidentCredential: boolean; rpId?: string; signCount: number }[]>;
	remove(): Promise<void>;
};

/** A platform authenticator (ctap2, internal) with resident keys and user verification that always succeeds. */
export async function addVirtualAuthenticator(page: Page): Promise<VirtualAuthenticator> {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('WebAuthn.enable');
	const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
		options: {
			protocol: 'ctap2',
			transport: 'internal',
			hasResidentKey: true,
			hasUserVerification: true,
			isUserVerified: true,
			automaticPresenceSimulation: true
		}
	});
	return {
		cdp,
		authenticatorId,
		async credentials() {
			const r = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
			return r.credentials;
		},
		async remove() {
			await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
		}
	};
}

/** Wait until Svelte has hydrated the page (the root layout sets data-hydrated), so clicks do something. */
export async function hydrated(page: Page): Promise<void> {
	await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
}

export async function gotoHydrated(page: Page, url: string): Promise<void> {
	await page.goto(url);
	await hydrated(page);
}

let seq = 0;
/** A name no other test uses (files share one server). */
export const uniqueName = (prefix: string) => `${prefix} ${Date.now().toString(36)}${(seq++).toString(36)}`;

/** The one-time link the server printed on its first start (<data dir>/setup-link.txt), as a path. */
export async function readFirstRunLink(): Promise<string> {
	const file = path.join(E2E_DATA_DIR, 'setup-link.txt');
	const text = await readFile(file, 'utf8');
	const url = new URL(text.trim());
	return url.pathname + url.search;
}

/** A fresh one-time setup link from the CLI (works whether or not MAs exist), as a path. */
export async function newSetupLink(): Promise<string> {
	if (!E2E_DATA_DIR) throw new Error('E2E_DATA_DIR is not set (run through playwright.config.ts)');
	const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/setup-link.ts', '--json'], {
		cwd: PROJECT_ROOT,
		env: { PATH: process.env.PATH ?? '', SCOMO_DATA_DIR: E2E_DATA_DIR, SCOMO_LOG_LEVEL: 'silent' }
	});
	return (JSON.parse(stdout.trim().split('\n').pop()!) as { path: string }).path;
}

export type SignedInAdmin = { maId: string; maName: string; displayName: string; authenticator: VirtualAuthenticator };

/**
 * Open a setup link in `page`, create an MA and register its first owner's passkey; the page ends signed
 * in on /admin. Adds a virtual authenticator to the page unless one is given.
 */
export async function completeSetup(
	page: Page,
	link: string,
	opts: { maName?: string; displayName?: string; passkeyName?: string; authenticator?: VirtualAuthenticator } = {}
): Promise<SignedInAdmin> {
	const authenticator = opts.authenticator ?? (await addVirtualAuthenticator(page));
	const maName = opts.maName ?? uniqueName('MA');
	const displayName = opts.displayName ?? uniqueName('Owner');
	await gotoHydrated(page, link);
	await page.getByLabel('Management Authority name').fill(maName);
	await page.getByLabel('Your name').fill(displayName);
	await page.getByLabel('Name of your passkey').fill(opts.passkeyName ?? 'First passkey');
	await page.getByRole('button', { name: 'Create and register a passkey' }).click();
	await page.waitForURL((u) => u.pathname === '/admin');
	await hydrated(page);
	return { maId: await currentMaId(page), maName, displayName, authenticator };
}

/** A new MA with this page signed in as its owner (robust to the first run being done already). */
export async function createMaWithOwner(
	page: Page,
	opts: { maName?: string; displayName?: string; authenticator?: VirtualAuthenticator } = {}
): Promise<SignedInAdmin> {
	return completeSetup(page, await newSetupLink(), opts);
}

/** The MA the console currently shows (the MA switcher's selected value). */
export async function currentMaId(page: Page): Promise<string> {
	return page.locator('#ma-switch').inputValue();
}

/**
 * Sign in without a username by pressing "Sign in with a passkey" (the page's autofill request is turned
 * off with `autofill=off`, because Chromium's virtual authenticator answers autofill requests by itself;
 * `signInWithAutofill` covers that path).
 */
export async function signIn(page: Page, next = '/admin'): Promise<void> {
	await gotoHydrated(page, `/admin/signin?autofill=off&next=${encodeURIComponent(next)}`);
	await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
	await page.waitForURL((u) => u.pathname === next);
	await hydrated(page);
}

/**
 * Sign in through the browser's passkey autofill (conditional UI): the virtual authenticator picks the
 * passkey as a person would from the autofill list, without any click.
 */
export async function signInWithAutofill(page: Page, next = '/admin'): Promise<void> {
	await page.goto(`/admin/signin?next=${encodeURIComponent(next)}`);
	await page.waitForURL((u) => u.pathname === next);
	await hydrated(page);
}

export async function signOut(page: Page): Promise<void> {
	const menu = page.getByRole('button', { name: 'Menu' });
	if (await menu.isVisible()) await menu.click();
	await page.getByRole('button', { name: 'Sign out' }).first().click();
	await page.waitForURL((u) => u.pathname === '/admin/signin');
}

/** From an owner's page: create an invitation link for `role` (full URL). */
export async function createInvitation(ownerPage: Page, role: Role): Promise<string> {
	await gotoHydrated(ownerPage, '/admin/members');
	await ownerPage.getByLabel('Role', { exact: true }).selectOption(role);
	await ownerPage.getByRole('button', { name: 'Create invitation link' }).click();
	const link = ownerPage.getByTestId('invite-link');
	await expect(link).toBeVisible();
	return link.inputValue();
}

/** Accept an invitation in `page` with a new passkey (adds a virtual authenticator unless given). */
export async function acceptInvitation(
	page: Page,
	link: string,
	opts: { displayName?: string; authenticator?: VirtualAuthenticator } = {}
): Promise<{ displayName: string; authenticator: VirtualAuthenticator }> {
	const authenticator = opts.authenticator ?? (await addVirtualAuthenticator(page));
	const displayName = opts.displayName ?? uniqueName('Admin');
	await gotoHydrated(page, new URL(link).pathname);
	await page.getByLabel('Your name').fill(displayName);
	await page.getByLabel('Name of your passkey').fill('Invited passkey');
	await page.getByRole('button', { name: 'Create a passkey and join' }).click();
	await page.waitForURL((u) => u.pathname === '/admin');
	await hydrated(page);
	return { displayName, authenticator };
}

/**
 * Another administrator of the owner's current MA with `role`, signed in in a new browser context (its
 * own cookies and authenticator). Close the context when done.
 */
export async function addAdmin(
	browser: Browser,
	ownerPage: Page,
	role: Role,
	opts: { displayName?: string } = {}
): Promise<{ context: BrowserContext; page: Page; displayName: string; authenticator: VirtualAuthenticator }> {
	const link = await createInvitation(ownerPage, role);
	const context = await browser.newContext({ baseURL: new URL(ownerPage.url()).origin });
	const page = await context.newPage();
	const accepted = await acceptInvitation(page, link, opts);
	return { context, page, ...accepted };
}
