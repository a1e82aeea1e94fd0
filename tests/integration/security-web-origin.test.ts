/**
 * Attacks on the administrator's session from other sites, against the real server (issue #13, M1–M3):
 * - M1: crafted `next=` values after sign-in (tab, newline, backslash, scheme-relative) must never leave
 *   the site, and never answer 500;
 * - M2: body-less POSTs to /api/v1 carrying the session cookie with a foreign Origin (or none) must be
 *   refused before they rotate the MA key, revoke a device or cancel an operation;
 * - M3: a socket.io handshake to /admin carrying the cookie from another origin must be refused.
 * Each attack is followed by the same request from the app's own origin, which succeeds: the refusal is
 * the origin check, not something else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { startTestServer, newMa, type TestServer } from '../support/test-server';
import { cookieHeader, getWithJar, ownerFromSetupLink, postJson, type Jar } from '../support/admin-http';
import { TestDevice } from '../support/test-device';
import { issueSetupToken, setupPath } from '../../src/lib/server/auth/first-run';
import { ADMIN_NAMESPACE } from '../../src/lib/contract/admin-protocol';

let server: TestServer;
let jar: Jar;
let otherMaId: string;
const devices: TestDevice[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
	server = await startTestServer();
	// Another MA, made before any request (the admin CLI runs synchronously).
	otherMaId = newMa(server, 'Someone else').maId;
	const { token } = issueSetupToken(server.ctx.store.db, Date.now());
	({ jar } = await ownerFromSetupLink(server.url, setupPath(token), 'Origin MA'));
});

afterAll(async () => {
	for (const x of sockets) x.disconnect();
	for (const d of devices) d.close();
	await server?.close();
});

/** A POST with no body and no Content-Type, as `fetch(url, {method:'POST', credentials:'include'})` from another site sends it. */
const bodyless = (path: string, headers: Record<string, string>) =>
	fetch(`${server.url}${path}`, { method: 'POST', headers: { cookie: cookieHeader(jar), ...headers }, redirect: 'manual' });

const FOREIGN: Record<string, Record<string, string>> = {
	'another site': { origin: 'https://evil.example' },
	'a same-site page on another port': { origin: 'http://localhost:1' },
	'an opaque origin': { origin: 'null' },
	'Sec-Fetch-Site cross-site, no Origin': { 'sec-fetch-site': 'cross-site' },
	'Sec-Fetch-Site same-site, no Origin': { 'sec-fetch-site': 'same-site' },
	'no Origin and no Sec-Fetch-Site': {}
};

async function expectRefused(res: Response) {
	expect(res.status).toBe(403);
	expect(((await res.json()) as { error: { code: string } }).error.code).toBe('cross_site_request');
}

async function signingKeyCount(): Promise<number> {
	const res = await getWithJar(server.url, '/api/v1/signing-keys', jar);
	expect(res.status).toBe(200);
	return ((await res.json()) as { items: unknown[] }).items.length;
}

async function enrolledDevice(): Promise<string> {
	const code = await postJson(server.url, '/api/v1/enrollment-codes', { label: 'origin test' }, jar);
	expect(code.status).toBe(201);
	const device = new TestDevice(server.url);
	devices.push(device);
	const enrolled = await device.enroll(String(((await code.json()) as { code: string }).code));
	expect(enrolled.status).toBe(201);
	return device.deviceId!;
}

describe('M1: the redirect after sign-in stays on this site', () => {
	const crafted = ['/\t/evil.example/x', '/\n/evil.example/x', '/\r\n/evil.example', '/\\evil.example', '//evil.example', 'https://evil.example/'];

	it.each(crafted)('the signed-in sign-in page redirects %j to /admin', async (next) => {
		const res = await getWithJar(server.url, `/admin/signin?next=${encodeURIComponent(next)}`, jar);
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/admin');
	});

	it('a path of the app is followed', async () => {
		const res = await getWithJar(server.url, `/admin/signin?next=${encodeURIComponent('/admin/devices?x=1')}`, jar);
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/admin/devices?x=1');
	});

	it.each(crafted)('the signed-out sign-in page hands the browser /admin for %j', async (next) => {
		const res = await fetch(`${server.url}/admin/signin?next=${encodeURIComponent(next)}&autofill=off`);
		expect(res.status).toBe(200);
		const html = await res.text();
		expect(html).not.toContain('evil.example');
		expect(html).toMatch(/next:\s*"\/admin"/);
	});
});

describe('M2: cookie-authenticated state changes only from this site', () => {
	it.each(Object.entries(FOREIGN))('a key rotation from %s is refused and rotates nothing', async (_what, headers) => {
		const before = await signingKeyCount();
		await expectRefused(await bodyless('/api/v1/signing-keys/rotate', headers));
		expect(await signingKeyCount()).toBe(before);
	});

	it('the same rotation from this site succeeds', async () => {
		const before = await signingKeyCount();
		const res = await bodyless('/api/v1/signing-keys/rotate', { origin: server.url });
		expect(res.status).toBe(201);
		expect(await signingKeyCount()).toBe(before + 1);
		const viaFetchMetadata = await bodyless('/api/v1/signing-keys/rotate', { 'sec-fetch-site': 'same-origin' });
		expect(viaFetchMetadata.status).toBe(201);
	});

	it('a cross-site revoke leaves the device enrolled; from this site it is revoked', async () => {
		const deviceId = await enrolledDevice();
		await expectRefused(await bodyless(`/api/v1/devices/${deviceId}/revoke`, FOREIGN['another site']!));
		expect((await getWithJar(server.url, `/api/v1/devices/${deviceId}`, jar)).status).toBe(200);
		expect((await bodyless(`/api/v1/devices/${deviceId}/revoke`, { origin: server.url })).status).toBe(200);
		expect((await getWithJar(server.url, `/api/v1/devices/${deviceId}`, jar)).status).toBe(404);
	});

	it('a cross-site cancel leaves the operation pending; from this site it is cancelled', async () => {
		const deviceId = await enrolledDevice();
		const created = await postJson(
			server.url,
			'/api/v1/operations',
			{ deviceIds: [deviceId], operations: [{ kind: 'Inventory' }], consentMode: 'confirm' },
			jar
		);
		expect(created.status).toBe(202);
		const { correlator } = ((await created.json()) as { operations: { correlator: string }[] }).operations[0]!;
		const status = async () =>
			((await (await getWithJar(server.url, `/api/v1/operations/${correlator}`, jar)).json()) as { status: string }).status;
		const before = await status();
		await expectRefused(await bodyless(`/api/v1/operations/${correlator}/cancel`, FOREIGN['another site']!));
		expect(await status()).toBe(before);
		expect((await bodyless(`/api/v1/operations/${correlator}/cancel`, { origin: server.url })).status).toBe(200);
		expect(await status()).toBe('cancelled');
	});

	it('sign-out (a plain POST with the cookie) from another site is refused too', async () => {
		await expectRefused(await bodyless('/auth/signout', FOREIGN['another site']!));
		expect((await getWithJar(server.url, '/api/v1/signing-keys', jar)).status).toBe(200);
	});

	it('a request with an API token is not concerned (no ambient credential)', async () => {
		const res = await fetch(`${server.url}/api/v1/signing-keys/rotate`, {
			method: 'POST',
			headers: { authorization: 'Bearer scomo_not-a-token', origin: 'https://evil.example' }
		});
		expect(res.status).toBe(401);
	});
});

describe('M3: the /admin socket handshake only from this site', () => {
	function connect(headers: Record<string, string>, transports: ('websocket' | 'polling')[] = ['websocket']): Promise<Socket> {
		const socket = io(`${server.url}${ADMIN_NAMESPACE}`, { transports, reconnection: false, forceNew: true, extraHeaders: headers });
		sockets.push(socket);
		return new Promise((resolve, reject) => {
			socket.once('connect', () => resolve(socket));
			socket.once('connect_error', (e) => reject(e));
		});
	}

	it.each(Object.entries(FOREIGN))('a handshake with the cookie from %s is refused', async (_what, headers) => {
		await expect(connect({ cookie: cookieHeader(jar), ...headers })).rejects.toThrow();
		await expect(connect({ cookie: cookieHeader(jar), ...headers }, ['polling'])).rejects.toThrow();
	});

	it('the same handshake from this site connects (WebSocket, and polling with Sec-Fetch-Site)', async () => {
		const ws = await connect({ cookie: cookieHeader(jar), origin: server.url });
		expect(ws.connected).toBe(true);
		const polling = await connect({ cookie: cookieHeader(jar), 'sec-fetch-site': 'same-origin' }, ['polling']);
		expect(polling.connected).toBe(true);
	});
});

describe('the MA switcher asks the one policy', () => {
	it('switching to an MA one is not a member of is 404, like a missing one; to one’s own MA it is followed', async () => {
		const form = (maId: string) =>
			fetch(`${server.url}/admin/switch`, {
				method: 'POST',
				headers: { cookie: cookieHeader(jar), origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ maId, next: '/admin/devices/x' }).toString(),
				redirect: 'manual'
			});
		expect((await form(otherMaId)).status).toBe(404);
		expect((await form('no-such-ma')).status).toBe(404);
		const ownMaId = server.ctx.store.sqlite.prepare("select id from management_authorities where name = 'Origin MA'").pluck().get() as string;
		const own = await form(ownMaId);
		expect(own.status).toBe(303);
		expect(own.headers.get('location')).toBe('/admin/devices');
	});
});
