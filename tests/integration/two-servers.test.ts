/**
 * Two servers in one process are independent: each request is answered with the app of the server that
 * received it (src/lib/server/app-request.ts), never one shared by the process. Each serves its own store,
 * its own configuration (origin), and keeps serving when the other's database goes away or it is closed.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, newMa, type TestServer } from '../support/test-server';

let a: TestServer;
let b: TestServer;

beforeAll(async () => {
	a = await startTestServer();
	b = await startTestServer();
});
afterAll(async () => {
	await a?.close();
	await b?.close();
});

const health = async (server: TestServer) => {
	const res = await fetch(`${server.url}/healthz`);
	return { status: res.status, body: (await res.json()) as { database: boolean } };
};

describe('two servers in one process', () => {
	it('each answers from its own store and with its own origin', async () => {
		expect(a.url).not.toBe(b.url);
		const acme = newMa(a, 'Acme');
		const globex = newMa(b, 'Globex');

		// A token exists only in the store of the server whose MA issued it.
		expect((await acme.api.listEnrollmentCodes()).status).toBe(200);
		expect((await b.api(acme.token).listEnrollmentCodes()).status).toBe(401);
		expect((await globex.api.listEnrollmentCodes()).status).toBe(200);
		expect((await a.api(globex.token).listEnrollmentCodes()).status).toBe(401);

		// What one server stores, only that server lists; its links name its own origin.
		const code = await globex.api.createEnrollmentCode({ label: 'on b' });
		expect(code.status).toBe(201);
		expect(code.body.link.startsWith(`${b.url}/device/enroll?`)).toBe(true);
		expect((await globex.api.listEnrollmentCodes()).body.items.map((c) => c.label)).toEqual(['on b']);
		expect((await acme.api.listEnrollmentCodes()).body.items).toEqual([]);
	});

	it('one server losing its database or closing leaves the other serving', async () => {
		a.ctx.store.sqlite.close();
		expect(await health(a)).toMatchObject({ status: 503, body: { database: false } });
		expect(await health(b)).toMatchObject({ status: 200, body: { database: true } });

		await a.close();
		expect(await health(b)).toMatchObject({ status: 200, body: { database: true } });
	});
});
