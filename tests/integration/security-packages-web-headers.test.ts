/**
 * Web hardening on the real server (in process, built app): the Content-Security-Policy of admin pages
 * (rendered, nonce) and of the device shell (prerendered, hashes in a meta tag plus the server's
 * frame-ancestors header), the other security headers on every kind of response, the CSRF origin check,
 * and the per-socket event rate limit on /device.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, newMa, type TestServer } from '../support/test-server';
import { TestDevice } from '../support/test-device';
import { DEVICE_EVENT_BURST } from '../../src/lib/server/realtime/event-rate-limit';

let server: TestServer;

beforeAll(async () => {
	server = await startTestServer();
});

afterAll(async () => {
	await server?.close();
});

const directives = (csp: string) =>
	Object.fromEntries(
		csp
			.split(';')
			.map((d) => d.trim().split(/\s+/))
			.filter((d) => d[0])
			.map(([name, ...values]) => [name!, values])
	);

function expectSecurityHeaders(h: Headers, what: string) {
	expect(h.get('x-content-type-options'), what).toBe('nosniff');
	expect(h.get('referrer-policy'), what).toBe('same-origin');
	expect(h.get('permissions-policy'), what).toContain('camera=()');
	expect(h.get('cross-origin-opener-policy'), what).toBe('same-origin');
	expect(h.get('x-frame-options'), what).toBe('DENY');
	expect(h.get('content-security-policy'), what).toContain("frame-ancestors 'none'");
}

describe('security headers and CSP', () => {
	it('admin pages carry a nonce-based CSP with frame-ancestors none, and the other headers', async () => {
		const res = await fetch(`${server.url}/admin/signin`, { redirect: 'manual' });
		expect(res.status).toBe(200);
		expectSecurityHeaders(res.headers, '/admin/signin');
		const csp = directives(res.headers.get('content-security-policy')!);
		expect(csp['script-src']).toEqual(expect.arrayContaining(["'self'"]));
		expect(csp['script-src']!.some((s: string) => s.startsWith("'nonce-"))).toBe(true);
		expect(csp['script-src']).not.toContain("'unsafe-inline'");
		expect(csp['script-src']).not.toContain("'unsafe-eval'");
		expect(csp['object-src']).toEqual(["'none'"]);
		expect(csp['frame-ancestors']).toEqual(["'none'"]);
		expect(csp['form-action']).toEqual(["'self'"]);
		const html = await res.text();
		const nonce = csp['script-src']!.find((s: string) => s.startsWith("'nonce-"))!.slice(7, -1);
		expect(html).toContain(`nonce="${nonce}"`);
	});

	it('the prerendered device shell has its CSP in a meta tag (hashes, worker-src blob:) and frame-ancestors in a header', async () => {
		const res = await fetch(`${server.url}/device`);
		expect(res.status).toBe(200);
		expectSecurityHeaders(res.headers, '/device');
		const html = await res.text();
		const meta = /<meta http-equiv="content-security-policy" content="([^"]+)"/i.exec(html);
		expect(meta, 'CSP meta tag').not.toBeNull();
		const csp = directives(meta![1]!);
		expect(csp['worker-src']).toEqual(expect.arrayContaining(["'self'", 'blob:']));
		expect(csp['script-src']!.some((s: string) => s.startsWith("'sha256-"))).toBe(true);
		expect(csp['script-src']).not.toContain("'unsafe-inline'");
		expect(csp['object-src']).toEqual(["'none'"]);
	});

	it('static files, API responses and errors carry the headers too', async () => {
		for (const p of ['/manifest.webmanifest', '/healthz', '/api/v1/packages', '/no-such-page']) {
			const res = await fetch(`${server.url}${p}`);
			expectSecurityHeaders(res.headers, p);
			await res.arrayBuffer();
		}
	});

	it("SvelteKit's CSRF origin check refuses a cross-site form POST", async () => {
		const res = await fetch(`${server.url}/admin/signin`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
			body: 'x=1'
		});
		expect(res.status).toBe(403);
		expect(await res.text()).toMatch(/Cross-site POST form submissions are forbidden/);
	});
});

describe('socket event rate limit on /device', () => {
	it('a flood gets rate_limited acks, then the connection is closed; the server keeps serving', async () => {
		// An authenticated device (so the unauthenticated-connection timeout plays no part in the disconnect).
		const ma = newMa(server, 'Flood MA');
		const device = new TestDevice(server.url);
		expect((await device.enroll((await ma.api.createEnrollmentCode()).body.code)).status).toBe(201);
		expect((await device.connect()).ok).toBe(true);
		const socket = device.socket!;
		const answers: { ok: boolean; code?: string }[] = [];
		const closed = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
		// Invalid events: each is answered invalid_request until the bucket is empty.
		const total = DEVICE_EVENT_BURST + 50;
		await new Promise<void>((resolve) => {
			for (let i = 0; i < total; i++)
				socket.emit('progress', {}, (r: { ok: boolean; code?: string }) => {
					if (answers.push(r) === total) resolve();
				});
		});
		// The burst, plus what the bucket refills while they arrive.
		expect(answers.filter((a) => a.code === 'invalid_request').length).toBeLessThan(DEVICE_EVENT_BURST + 40);
		expect(answers.filter((a) => a.code === 'rate_limited').length).toBeGreaterThan(0);
		for (let i = 0; i < 1000; i++) socket.emit('progress', {});
		await closed;
		device.close();
		expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
	});
});
