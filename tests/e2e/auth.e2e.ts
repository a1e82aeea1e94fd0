/**
 * Administrators with real passkeys (Chromium's virtual authenticator over CDP): first-run setup,
 * registration, sign out, username-less sign in, a second passkey, inviting a second administrator, and
 * role limits enforced by the one policy (SCOMO-SEC-02, SCOMO-ADC-3).
 */
import { test, expect, type Page } from '@playwright/test';
import {
	addAdmin,
	addVirtualAuthenticator,
	completeSetup,
	createInvitation,
	createMaWithOwner,
	gotoHydrated,
	hydrated,
	newSetupLink,
	readFirstRunLink,
	signIn,
	signInWithAutofill,
	signOut,
	acceptInvitation
} from './support/auth';

/** A POST of a plain HTML form from this page's session, as a browser without JavaScript would send it. */
async function postForm(page: Page, path: string, form: Record<string, string>) {
	const origin = new URL(page.url()).origin;
	return page.request.post(path, { form, headers: { origin, accept: 'text/html' }, maxRedirects: 0 });
}

test('first run: the printed setup link creates an MA and its owner, who signs out and back in without a username', async ({ page }) => {
	const link = await readFirstRunLink();
	const owner = await completeSetup(page, link, { maName: 'Acme Devices', displayName: 'Ada Owner', passkeyName: 'Laptop' });

	await test.step('registered: a discoverable passkey, an owner session, the MA in the switcher', async () => {
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Acme Devices');
		await expect(page.getByTestId('current-role')).toHaveText('owner');
		const creds = await owner.authenticator.credentials();
		expect(creds).toHaveLength(1);
		expect(creds[0]!.isResidentCredential).toBe(true);
		expect(owner.maId).toMatch(/^[0-9a-f-]{36}$/);
		const cookies = await page.context().cookies();
		const session = cookies.find((c) => c.name === 'scomo_session');
		expect(session?.httpOnly).toBe(true);
		expect(session?.sameSite).toBe('Lax');
	});

	await test.step('the setup link is single use', async () => {
		const other = await page.context().newPage();
		await gotoHydrated(other, link);
		await expect(other.getByRole('heading', { name: 'Setup link not valid' })).toBeVisible();
		await other.close();
	});

	await test.step('sign out ends the session', async () => {
		const before = (await page.context().cookies()).find((c) => c.name === 'scomo_session')!.value;
		await signOut(page);
		await expect(page.getByText('You are signed out.')).toBeVisible();
		const api = page.context().request;
		const after = await api.get('/admin/account', { maxRedirects: 0 });
		expect(after.status()).toBe(303);
		expect(after.headers()['location']).toBe('/admin/signin?next=%2Fadmin%2Faccount');
		// The old cookie value is dead on the server even if someone kept a copy.
		const replay = await api.get('/admin', { maxRedirects: 0, headers: { cookie: `scomo_session=${before}` } });
		expect(replay.status()).toBe(303);
	});

	await test.step('sign in without a username (the button) starts a new session', async () => {
		await signIn(page, '/admin/account');
		await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
		await expect(page.getByTestId('passkey-list')).toContainText('Laptop');
		await expect(page.getByTestId('passkey-list')).not.toContainText('Last used: never');
	});

	await test.step('sign in through the passkey autofill (conditional UI), session rotated', async () => {
		const first = (await page.context().cookies()).find((c) => c.name === 'scomo_session')!.value;
		await signOut(page);
		await signInWithAutofill(page, '/admin/account');
		const second = (await page.context().cookies()).find((c) => c.name === 'scomo_session')!.value;
		expect(second).not.toBe(first);
		await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
	});

	await test.step('the only passkey cannot be removed', async () => {
		await expect(page.getByRole('button', { name: 'Remove Laptop' })).toBeDisabled();
		const id = await page.locator('input[name="id"]').first().inputValue();
		const res = await postForm(page, '/admin/account?/remove', { id });
		expect(res.status()).toBe(409);
	});

	await test.step('a second passkey on another authenticator, confirmed first with the existing one', async () => {
		// The session alone may not add a passkey: the existing one confirms (step-up), then the new authenticator
		// (the only one left by the time the registration starts) creates the second passkey.
		let second: Awaited<ReturnType<typeof addVirtualAuthenticator>> | undefined;
		let confirmedFirst = false;
		page.on('request', (r) => void (r.url().endsWith('/auth/step-up/options') && (confirmedFirst = true)));
		await page.route('**/auth/register/options', async (route) => {
			await owner.authenticator.remove();
			second = await addVirtualAuthenticator(page);
			await route.continue();
		});
		await page.getByLabel('Name of the new passkey').fill('Security key');
		await page.getByRole('button', { name: 'Add a passkey' }).click();
		await expect(page.getByText('Passkey “Security key” added.')).toBeVisible();
		await page.unroute('**/auth/register/options');
		expect(confirmedFirst).toBe(true);
		await expect(page.getByTestId('passkey-list').locator('li')).toHaveCount(2);
		expect(await second!.credentials()).toHaveLength(1);

		// Signing in with the second passkey alone works.
		await signOut(page);
		await signIn(page, '/admin/account');
		const list = page.getByTestId('passkey-list');
		await expect(list.locator('li').filter({ hasText: 'Security key' })).not.toContainText('Last used: never');

		// Rename, then remove the first one (allowed now that there are two).
		await list.getByLabel('New name for Laptop').fill('Old laptop');
		await list.locator('li').filter({ has: page.getByLabel('New name for Laptop') }).getByRole('button', { name: 'Rename' }).click();
		await expect(page.getByText('Passkey renamed.')).toBeVisible();
		await page.getByRole('button', { name: 'Remove Old laptop' }).click();
		await expect(page.getByTestId('passkey-list').locator('li')).toHaveCount(1);
	});

	await test.step('every step is in the audit log', async () => {
		await gotoHydrated(page, '/admin/audit');
		const events = page.getByTestId('audit-events');
		for (const action of ['ma.create', 'passkey.add', 'admin.signin', 'admin.signout', 'passkey.rename', 'passkey.remove'])
			await expect(events.locator(`[data-action="${action}"]`).first()).toBeVisible();
		// Sentences, not dotted names or JSON.
		await expect(events).toContainText('added a passkey');
		await expect(events).not.toContainText('{"');
		await page.getByLabel('Action').selectOption('passkey.add');
		await page.getByRole('button', { name: 'Filter' }).click();
		await expect(page).toHaveURL(/action=passkey.add/);
		await expect(events.locator('li')).toHaveCount(2);
	});
});

test('an owner invites a second administrator, who joins with their own passkey; the link works once', async ({ page, browser }) => {
	const owner = await createMaWithOwner(page);
	const link = await createInvitation(page, 'operator');

	const context = await browser.newContext();
	const invitee = await context.newPage();
	const joined = await acceptInvitation(invitee, link, { displayName: 'Otto Operator' });
	await expect(invitee.getByTestId('current-role')).toHaveText('operator');
	expect(await invitee.locator('#ma-switch').inputValue()).toBe(owner.maId);
	expect(await joined.authenticator.credentials()).toHaveLength(1);

	// Used: a third browser cannot use it again.
	const third = await browser.newContext();
	const thirdPage = await third.newPage();
	await gotoHydrated(thirdPage, new URL(link).pathname);
	await expect(thirdPage.getByRole('heading', { name: 'Invitation no longer valid' })).toBeVisible();
	await third.close();

	// The owner sees the new member, changes the role, and the change shows in the audit log.
	await gotoHydrated(page, '/admin/members');
	const member = page.getByTestId('member').filter({ hasText: 'Otto Operator' });
	await expect(member).toContainText('operator');
	await member.getByLabel('Role of Otto Operator', { exact: true }).selectOption('viewer');
	await member.getByRole('button', { name: 'Change role of Otto Operator' }).click();
	await expect(member).toContainText('Role changed to viewer.');
	await invitee.reload();
	await hydrated(invitee);
	await expect(invitee.getByTestId('current-role')).toHaveText('viewer');

	// The last owner cannot demote themselves.
	const me = page.getByTestId('member').filter({ hasText: '(you)' });
	await me.getByRole('combobox', { name: /^Role of/ }).selectOption('viewer');
	await me.getByRole('button', { name: /^Change role of/ }).click();
	await expect(me.getByRole('alert')).toContainText('at least one owner');

	await gotoHydrated(page, '/admin/audit');
	const events = page.getByTestId('audit-events');
	await expect(events.locator('[data-action="invitation.create"]').first()).toBeVisible();
	await expect(events.locator('[data-action="invitation.accept"]').first()).toBeVisible();
	await expect(events.locator('[data-action="member.role"]').first()).toBeVisible();
	await context.close();
});

test('role limits: a viewer cannot start operations (hidden and refused with 403), an operator cannot manage; other MAs are 404', async ({ page, browser }) => {
	// A bound, not an expectation: three administrators each register a passkey and sign in (about 20 s alone;
	// past 60 s with three CI runs sharing two cores).
	test.setTimeout(180_000);
	const owner = await createMaWithOwner(page);
	const viewer = await addAdmin(browser, page, 'viewer');
	const operator = await addAdmin(browser, page, 'operator');
	const body = {
		deviceIds: ['01890000-0000-7000-8000-000000000000'],
		operations: [{ kind: 'Inventory' }],
		consentMode: 'confirm'
	};

	await test.step('the viewer sees operations but no control to start one', async () => {
		await gotoHydrated(viewer.page, '/admin/operations');
		await expect(viewer.page.getByRole('heading', { name: 'Operations', level: 1 })).toBeVisible();
		await expect(viewer.page.getByRole('button', { name: 'Start operation' })).toHaveCount(0);
		await expect(viewer.page.getByTestId('read-only-note')).toBeVisible();
		await expect(viewer.page.getByRole('link', { name: 'Members' })).toHaveCount(0);
	});

	await test.step('the server refuses the viewer with 403 (form action and REST API)', async () => {
		const form = await postForm(viewer.page, '/admin/operations?/create', { deviceId: body.deviceIds[0]!, kind: 'Inventory', consentMode: 'confirm' });
		expect(form.status()).toBe(403);
		const api = await viewer.page.request.post('/api/v1/operations', { data: body, headers: { origin: new URL(viewer.page.url()).origin } });
		expect(api.status()).toBe(403);
		expect((await api.json()).error.code).toBe('forbidden');
		for (const p of ['/admin/members', '/admin/tokens', '/admin/settings']) {
			const r = await viewer.page.request.get(p);
			expect(r.status(), p).toBe(403);
		}
	});

	await test.step('the operator sees the control; the server accepts the role (the device is not this MA’s: 404)', async () => {
		await gotoHydrated(operator.page, '/admin/operations');
		await expect(operator.page.getByRole('button', { name: 'Start operation' })).toBeVisible();
		const api = await operator.page.request.post('/api/v1/operations', { data: body, headers: { origin: new URL(operator.page.url()).origin } });
		expect(api.status()).toBe(404);
	});

	await test.step('the operator cannot manage members, tokens or settings', async () => {
		for (const p of ['/admin/members', '/admin/tokens', '/admin/settings']) {
			const r = await operator.page.request.get(p);
			expect(r.status(), p).toBe(403);
		}
		const r = await postForm(operator.page, '/admin/members?/invite', { role: 'owner', expiresInHours: '24' });
		expect(r.status()).toBe(403);
	});

	await test.step('another MA’s owner gets 404 for this MA', async () => {
		const ctx = await browser.newContext();
		const stranger = await ctx.newPage();
		await createMaWithOwner(stranger);
		const sw = await postForm(stranger, '/admin/switch', { maId: owner.maId, next: '/admin' });
		expect(sw.status()).toBe(404);
		await ctx.close();
	});

	await viewer.context.close();
	await operator.context.close();
});

test('API tokens: created with a scope, shown once, used with the REST API, revoked', async ({ page }) => {
	await createMaWithOwner(page);
	await gotoHydrated(page, '/admin/tokens');
	await page.getByLabel('Name').fill('CI read');
	await page.getByLabel('Scope').selectOption('read');
	await page.getByRole('button', { name: 'Create token' }).click();
	const token = await page.getByTestId('new-token').inputValue();
	expect(token).toMatch(/^scomo_/);

	const api = page.context().request;
	const headers = { authorization: `Bearer ${token}` };
	const list = await api.get('/api/v1/devices', { headers });
	expect(list.status()).toBe(200);
	const op = await api.post('/api/v1/operations', {
		headers,
		data: { deviceIds: ['01890000-0000-7000-8000-000000000000'], operations: [{ kind: 'Inventory' }], consentMode: 'confirm' }
	});
	expect(op.status()).toBe(403);

	await page.reload();
	await hydrated(page);
	await expect(page.getByTestId('new-token')).toHaveCount(0);
	await expect(page.getByTestId('token-list')).not.toContainText('last used never');
	await page.getByRole('button', { name: 'Revoke CI read' }).click();
	// Destructive: it asks first, and says what happens.
	await expect(page.getByTestId('confirm-action')).toContainText('Every script using it is refused');
	await page.getByTestId('confirm-action').getByRole('button', { name: 'Revoke' }).click();
	await expect(page.getByText('Token revoked.')).toBeVisible();
	expect((await api.get('/api/v1/devices', { headers })).status()).toBe(401);
});

test('owner settings: name, allowed consent modes, automatic approval; saved, audited and enforced', async ({ page }) => {
	await createMaWithOwner(page, { maName: 'Settings Co' });
	await gotoHydrated(page, '/admin/settings');
	await page.getByLabel('Management Authority name').fill('Settings Company');
	await page.getByRole('checkbox', { name: /silent:/ }).uncheck();
	await page.getByLabel(/Approve requests from devices automatically/).check();
	await page.getByRole('button', { name: 'Save settings' }).click();
	await expect(page.getByText('Settings saved.')).toBeVisible();

	await page.reload();
	await hydrated(page);
	await expect(page.getByLabel('Management Authority name')).toHaveValue('Settings Company');
	await expect(page.getByRole('checkbox', { name: /silent:/ })).not.toBeChecked();
	await expect(page.getByRole('checkbox', { name: /confirm:/ })).toBeChecked();
	await expect(page.getByLabel(/Approve requests from devices automatically/)).toBeChecked();
	await expect(page.locator('#ma-switch')).toContainText('Settings Company');

	// Nothing allowed at all is refused in words.
	for (const m of [/notify:/, /confirm:/]) await page.getByRole('checkbox', { name: m }).uncheck();
	await page.getByRole('button', { name: 'Save settings' }).click();
	await expect(page.getByRole('alert')).toContainText('at least one consent mode');

	// The operation service applies the setting: a silent operation is refused (SCOMO-USA-5).
	const r = await page.request.post('/api/v1/operations', {
		headers: { origin: new URL(page.url()).origin },
		data: { deviceIds: ['01890000-0000-7000-8000-000000000000'], operations: [{ kind: 'Inventory' }], consentMode: 'silent' }
	});
	expect(r.status()).toBe(403);
	expect((await r.json()).error.message).toContain('not allowed');

	await gotoHydrated(page, '/admin/audit?action=ma.settings');
	await expect(page.getByTestId('audit-events').locator('li')).toHaveCount(1);
	await gotoHydrated(page, '/admin/audit?action=settings.update');
	await expect(page.getByTestId('audit-events')).toContainText('Settings Company');
});

test('the sign-in, setup, invitation and console pages fit a 390 px phone and a 1280 px desktop', async ({ page, browser }) => {
	// Ten pages, two widths each, full-page screenshots: a bound for two busy cores.
	test.setTimeout(180_000);
	/** At each width: nothing scrolls sideways and the page's heading is shown; a screenshot to look at. */
	const fits = async (p: Page, name: string, widths: readonly (readonly [number, number])[] = [[390, 844], [1280, 800]]) => {
		for (const [w, h] of widths) {
			await p.setViewportSize({ width: w, height: h });
			await p.evaluate(() => window.scrollTo(0, 0));
			const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
			expect(overflow, `${name} at ${w} px scrolls sideways`).toBeLessThanOrEqual(0);
			await expect(p.getByRole('heading', { level: 1 }).first(), `${name} at ${w} px shows its heading`).toBeVisible();
			await p.screenshot({ path: `tests/e2e/screenshots/auth-${name}-${w}.png`, fullPage: true });
		}
		await p.setViewportSize({ width: 390, height: 844 });
	};
	await page.setViewportSize({ width: 390, height: 844 });

	const setupLink = await newSetupLink();
	await gotoHydrated(page, setupLink);
	await fits(page, 'setup');
	await createMaWithOwner(page, { maName: 'Screenshot Devices Ltd' });
	const link = await createInvitation(page, 'operator');
	await fits(page, 'members');
	for (const p of ['/admin', '/admin/account', '/admin/tokens', '/admin/audit', '/admin/settings', '/admin/operations']) {
		await gotoHydrated(page, p);
		await fits(page, p === '/admin' ? 'overview' : p.split('/').pop()!);
	}
	// The menu is the phone's: opened at 390 px, it must fit there.
	await page.getByRole('button', { name: 'Menu' }).click();
	await fits(page, 'menu-open', [[390, 844]]);

	const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
	const anon = await ctx.newPage();
	await gotoHydrated(anon, new URL(link).pathname);
	await fits(anon, 'invite');
	await gotoHydrated(anon, '/admin/signin?autofill=off');
	await fits(anon, 'signin');
	await ctx.close();
});
