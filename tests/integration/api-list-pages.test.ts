/**
 * The paged REST lists besides devices and operations (packages, device requests, enrollment codes), against
 * the real server: walking every page with a small limit lists each item once in the list's order, with the
 * same total on every page; a cursor the list did not give out answers 400 invalid_request; limit is 1–1000.
 * Another MA's items appear in none of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, newMa, manifest, bundle, type TestServer } from '../support/test-server';
import { TestDevice } from '../support/test-device';
import type { Page, PageQuery, Reply } from '../support/api-client';

let server: TestServer;
let acme: ReturnType<typeof newMa>;
let globex: ReturnType<typeof newMa>;
const codeIds: string[] = [];
const componentIds: string[] = [];
const requestIds: string[] = [];

/** Every page of a list, following nextCursor. */
async function walk<T>(fetchPage: (q: PageQuery) => Promise<Reply<Page<T>>>, limit: number) {
	const items: T[] = [];
	const totals = new Set<number>();
	let cursor: string | undefined;
	let pages = 0;
	do {
		const r = await fetchPage({ limit, cursor });
		expect(r.status, JSON.stringify(r.body)).toBe(200);
		expect(r.body.items.length).toBeLessThanOrEqual(limit);
		items.push(...r.body.items);
		totals.add(r.body.total);
		cursor = r.body.nextCursor ?? undefined;
		pages++;
	} while (cursor && pages < 50);
	return { items, totals: [...totals], pages };
}

async function refusesBadCursors(fetchPage: (q: PageQuery) => Promise<Reply<Page<unknown>>>, validCursorOfAnotherList: string) {
	for (const cursor of ['nonsense!', 'bm90IGpzb24', Buffer.from('["a"]').toString('base64url'), validCursorOfAnotherList]) {
		const r = await fetchPage({ cursor });
		expect(r.status, cursor).toBe(400);
		expect(r.body.error?.code).toBe('invalid_request');
	}
	for (const limit of [0, 1001]) expect((await fetchPage({ limit })).status).toBe(400);
}

beforeAll(async () => {
	server = await startTestServer();
	acme = newMa(server, 'Acme');
	globex = newMa(server, 'Globex');
	for (let i = 0; i < 11; i++) {
		const r = await acme.api.createEnrollmentCode({ label: `Code ${i}` });
		expect(r.status).toBe(201);
		codeIds.push(r.body.id);
	}
	expect((await globex.api.createEnrollmentCode({ label: 'theirs' })).status).toBe(201);
	for (let i = 0; i < 9; i++) {
		const id = `com.acme.c${String.fromCharCode(106 - i)}`; // uploaded out of order: the list sorts
		expect((await acme.api.uploadPackage(manifest(id, '1.0.0'), bundle())).status).toBe(201);
		expect((await acme.api.uploadPackage(manifest(id, '1.1.0'), bundle())).status).toBe(201);
		componentIds.push(id);
	}
	expect((await globex.api.uploadPackage(manifest('com.globex.x', '1.0.0'), bundle())).status).toBe(201);
	// Two devices ask for components (device requests), four each.
	for (let n = 0; n < 2; n++) {
		const code = (await acme.api.createEnrollmentCode({ label: `Asker ${n}` })).body.code;
		const d = new TestDevice(server.url, { manufacturer: 'Test Co', model: 'T-1', baselineBuildId: 'acme-os-1.4', softwareVersion: '1' });
		expect((await d.enroll(code)).status).toBe(201);
		expect((await d.connect()).ok).toBe(true);
		for (let i = 0; i < 4; i++) {
			const r = await d.emit<{ requestId: string }>('request', { maId: acme.maId, kind: 'DownloadInstall', componentId: componentIds[i]!, version: null, note: `ask ${n}.${i}` });
			expect(r.ok, JSON.stringify(r)).toBe(true);
			requestIds.push(r.requestId);
		}
		d.close();
	}
}, 180_000);

afterAll(async () => {
	await server?.close();
});

describe('paged REST lists', () => {
	it('enrollment codes: every code once, newest first, the same total on every page', async () => {
		const all = [...codeIds];
		const { items, totals, pages } = await walk((q) => acme.api.listEnrollmentCodes(q), 4);
		expect(totals).toEqual([13]); // 11 + the two askers' codes
		expect(pages).toBe(4);
		expect(new Set(items.map((c) => c.id)).size).toBe(13);
		for (const id of all) expect(items.map((c) => c.id)).toContain(id);
		const times = items.map((c) => c.createdAt);
		expect(times).toEqual([...times].sort((a, b) => b - a));
		expect(items.some((c) => c.label === 'theirs')).toBe(false);
	});

	it('packages: every package once in component ID order, each with every version', async () => {
		const { items, totals, pages } = await walk((q) => acme.api.listPackages(q), 2);
		expect(totals).toEqual([9]);
		expect(pages).toBe(5);
		expect(items.map((p) => p.componentId)).toEqual([...componentIds].sort());
		for (const p of items) expect(p.versions.map((v) => v.version).sort()).toEqual(['1.0.0', '1.1.0']);
		expect((await globex.api.listPackages()).body.items.map((p) => p.componentId)).toEqual(['com.globex.x']);
	});

	it('device requests: every request once, newest first, by status too', async () => {
		const { items, totals } = await walk((q) => acme.api.listDeviceRequests(undefined, q), 3);
		expect(totals).toEqual([8]);
		expect(items.map((r) => r.id).sort()).toEqual([...requestIds].sort());
		const times = items.map((r) => r.createdAt);
		expect(times).toEqual([...times].sort((a, b) => b - a));
		const first = items.at(-1)!;
		expect((await acme.api.decideDeviceRequest(first.id, { decision: 'refuse' })).status).toBe(200);
		const pending = await walk((q) => acme.api.listDeviceRequests('pending', q), 5);
		expect(pending.totals).toEqual([7]);
		expect(pending.items.map((r) => r.id)).not.toContain(first.id);
		const refused = await walk((q) => acme.api.listDeviceRequests('refused', q), 5);
		expect(refused.items.map((r) => r.id)).toEqual([first.id]);
		expect((await globex.api.listDeviceRequests()).body.total).toBe(0);
	});

	it('refuses a cursor the list did not give out, and a limit outside 1–1000', async () => {
		const packagesCursor = (await acme.api.listPackages({ limit: 1 })).body.nextCursor!;
		const codesCursor = (await acme.api.listEnrollmentCodes({ limit: 1 })).body.nextCursor!;
		expect(packagesCursor).toBeTruthy();
		await refusesBadCursors((q) => acme.api.listEnrollmentCodes(q), packagesCursor);
		await refusesBadCursors((q) => acme.api.listDeviceRequests(undefined, q), packagesCursor);
		await refusesBadCursors((q) => acme.api.listPackages(q), codesCursor);
	});
});

