/**
 * Issue #13 LOW findings on the real server (built app, in process):
 * - names with bidirectional override/isolate characters (which reorder what people read) are refused
 *   wherever they enter: package manifests, enrollment labels, device info;
 * - admin, setup and sign-in pages are `Cache-Control: no-store`;
 * - refused enrollment attempts are rate limited per address, before any lookup.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, newMa, manifest, bundle, type TestServer } from '../support/test-server';
import { getWithJar, ownerFromSetupLink, type Jar } from '../support/admin-http';
import { TestDevice } from '../support/test-device';
import { issueSetupToken, setupPath } from '../../src/lib/server/auth/first-run';
import { ENROLL_FAILURE_BURST } from '../../src/lib/server/auth/rate-limit';

let server: TestServer;
let jar: Jar;
let mas: Record<'bidi' | 'label' | 'device' | 'flood', ReturnType<typeof newMa>>;
const RLO = '\u202E';

beforeAll(async () => {
	server = await startTestServer();
	// The admin CLI runs synchronously (seconds): all MAs first, so no idle keep-alive connection is
	// closed by the server while this process cannot notice it.
	mas = { bidi: newMa(server, 'Bidi MA'), label: newMa(server, 'Bidi label MA'), device: newMa(server, 'Bidi device MA'), flood: newMa(server, 'Enroll flood MA') };
	const { token } = issueSetupToken(server.ctx.store.db, Date.now());
	({ jar } = await ownerFromSetupLink(server.url, setupPath(token), 'Low MA'));
});

afterAll(async () => {
	await server?.close();
});

describe('bidirectional override characters in names', () => {
	it('a component named with U+202E is refused and nothing is stored', async () => {
		const ma = mas.bidi;
		const r = await ma.api.uploadPackage(manifest('bidi.demo', '1.0.0', { name: `Invoice ${RLO}fdp.exe` }), bundle());
		expect(r.status).toBe(422);
		expect(JSON.stringify(r.body)).toContain('bidirectional');
		expect((await ma.api.listPackages()).body.items).toEqual([]);
		// The same component with a plain name is accepted: the refusal is the character.
		expect((await ma.api.uploadPackage(manifest('bidi.demo', '1.0.0', { name: 'Invoice pdf.exe' }), bundle())).status).toBe(201);
	});

	it('an enrollment label with U+2066 (isolate) is refused', async () => {
		const ma = mas.label;
		const r = await ma.api.createEnrollmentCode({ label: `Lobby \u2066kiosk\u2069` });
		expect(r.status).toBe(400);
		expect((r.body as unknown as { error: { code: string } }).error.code).toBe('invalid_request');
	});

	it('a device whose model carries U+202D (override) cannot enroll', async () => {
		const ma = mas.device;
		const code = (await ma.api.createEnrollmentCode()).body.code;
		const device = new TestDevice(server.url, { manufacturer: 'Acme', model: `K${RLO}1`, baselineBuildId: 'b1', softwareVersion: '1' });
		const r = await device.enroll(code);
		expect(r.status).toBe(400);
		expect(r.body.error?.code).toBe('invalid_request');
	});
});

describe('private pages are not cached', () => {
	it('admin pages, the sign-in page and the setup page answer Cache-Control: no-store', async () => {
		for (const p of ['/admin', '/admin/devices', '/admin/account']) {
			const res = await getWithJar(server.url, p, jar);
			expect(res.status, p).toBe(200);
			expect(res.headers.get('cache-control'), p).toBe('no-store');
		}
		for (const p of ['/admin/signin', `/setup?token=${'x'.repeat(43)}`]) {
			const res = await fetch(`${server.url}${p}`);
			expect(res.headers.get('cache-control'), p).toBe('no-store');
		}
	});

	it('console pages get a CSP without blob: scripts or workers and without any-https/wss connect', async () => {
		for (const p of ['/admin', '/admin/devices']) {
			const policy = (await getWithJar(server.url, p, jar)).headers.get('content-security-policy')!;
			const d = Object.fromEntries(policy.split(';').map((x) => x.trim().split(/\s+/)).map(([n, ...v]) => [n, v]));
			expect(d['script-src'], p).not.toContain('blob:');
			expect(d['worker-src'], p).not.toContain('blob:');
			expect(d['connect-src'], p).toEqual(["'self'"]);
			expect(d['script-src']!.some((x: string) => x.startsWith("'nonce-")), p).toBe(true);
		}
	});

	it('the public device shell keeps its own caching (it is not private)', async () => {
		const res = await fetch(`${server.url}/device`);
		expect(res.headers.get('cache-control')).not.toBe('no-store');
	});
});

describe('enrollment attempts', () => {
	it(`after ${ENROLL_FAILURE_BURST} refused attempts, the address is answered 429 before any lookup; the code stays unused`, async () => {
		const ma = mas.flood;
		const good = (await ma.api.createEnrollmentCode({ label: 'genuine' })).body;
		for (let i = 0; i < ENROLL_FAILURE_BURST; i++) {
			const r = await new TestDevice(server.url).enroll(`guess-${i}-${'x'.repeat(12)}`);
			expect(r.body.error?.code, `attempt ${i}`).toBe('enrollment_code_invalid');
		}
		const flooded = await new TestDevice(server.url).enroll(`guess-more-${'x'.repeat(12)}`);
		expect(flooded.status).toBe(429);
		expect(flooded.body.error?.code).toBe('rate_limited');
		// Even a genuine code is not looked up now: it is not used up by a refused request.
		const genuine = await new TestDevice(server.url).enroll(good.code);
		expect(genuine.status).toBe(429);
		const codes = (await ma.api.listEnrollmentCodes()).body.items;
		expect(codes.find((c) => c.id === good.id)?.usedAt).toBeNull();
	});
});
