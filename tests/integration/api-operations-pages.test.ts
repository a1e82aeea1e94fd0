/**
 * The operations list over REST in keyset pages, against the real server: 30 operations on three devices
 * enrolled over HTTP without an agent (so they stay queued), created ten at a time in one request (the
 * three of a request share their creation time, so the tie-break in the order matters). Walking every page
 * lists each operation once, newest first, with the same total on each page; filters apply to pages and
 * totals; a cursor the list did not give out answers 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, newMa, type TestServer } from '../support/test-server';
import { TestDevice } from '../support/test-device';
import type { OperationView } from '../support/api-client';

let server: TestServer;
let acme: ReturnType<typeof newMa>;
const deviceIds: string[] = [];
const created: OperationView[] = [];
const cancelled: string[] = [];

/** Every page of the list with these filters, following nextCursor. */
async function walk(filter: { deviceId?: string; status?: string }, limit: number) {
	const ops: OperationView[] = [];
	const totals = new Set<number>();
	let cursor: string | undefined;
	let pages = 0;
	do {
		const r = await acme.api.listOperations({ ...filter, limit, cursor });
		expect(r.status).toBe(200);
		expect(r.body.items.length).toBeLessThanOrEqual(limit);
		ops.push(...r.body.items);
		totals.add(r.body.total);
		cursor = r.body.nextCursor ?? undefined;
		pages++;
	} while (cursor && pages < 50);
	return { ops, totals: [...totals], pages };
}

beforeAll(async () => {
	server = await startTestServer();
	acme = newMa(server, 'Acme');
	for (let i = 1; i <= 3; i++) {
		const code = await acme.api.createEnrollmentCode({ label: `Shelf ${i}` });
		const d = new TestDevice(server.url, { manufacturer: 'Test Co', model: 'T-1', baselineBuildId: 'acme-os-1.4', softwareVersion: '1' });
		expect((await d.enroll(code.body.code)).status).toBe(201);
		deviceIds.push(d.deviceId!);
	}
	for (let i = 0; i < 10; i++) {
		const r = await acme.api.createOperations({ deviceIds, operations: [{ kind: 'Inventory' }] });
		expect(r.status).toBe(202);
		created.push(...r.body.operations);
	}
	for (const op of created.slice(0, 4)) {
		expect((await acme.api.cancelOperation(op.correlator)).status).toBe(200);
		cancelled.push(op.id);
	}
}, 180_000);

afterAll(async () => {
	await server?.close();
});

describe('the operations list in keyset pages', () => {
	it('walks every operation once, newest first, with the total on every page', async () => {
		expect(created).toHaveLength(30);
		const { ops, totals, pages } = await walk({}, 7);
		expect(pages).toBe(5);
		expect(totals).toEqual([30]);
		expect(ops.map((o) => o.id).sort()).toEqual(created.map((o) => o.id).sort());
		expect(new Set(ops.map((o) => o.id)).size).toBe(30);
		const times = ops.map((o) => o.createdAt);
		expect(times).toEqual([...times].sort((a, b) => b - a));
	});

	it('applies the device filter to pages and total', async () => {
		const { ops, totals } = await walk({ deviceId: deviceIds[1]! }, 3);
		expect(totals).toEqual([10]);
		expect(ops).toHaveLength(10);
		expect(new Set(ops.map((o) => o.id)).size).toBe(10);
		expect(ops.every((o) => o.deviceId === deviceIds[1])).toBe(true);
	});

	it('applies the status filter to pages and total', async () => {
		const done = await walk({ status: 'cancelled' }, 3);
		expect(done.totals).toEqual([4]);
		expect(done.ops.map((o) => o.id).sort()).toEqual([...cancelled].sort());
		const open = await walk({ status: 'queued' }, 10);
		expect(open.totals).toEqual([26]);
		expect(open.ops.some((o) => cancelled.includes(o.id))).toBe(false);
	});

	it('answers one page of 100 by default, and the last page has no next cursor', async () => {
		const r = await acme.api.listOperations();
		expect(r.status).toBe(200);
		expect(r.body.items).toHaveLength(30);
		expect(r.body.total).toBe(30);
		expect(r.body.nextCursor).toBeNull();
	});

	it('refuses a cursor it did not give out, and a limit out of range', async () => {
		for (const cursor of ['not a cursor', Buffer.from('["x"]').toString('base64url'), 'AAAA']) {
			const r = await acme.api.listOperations({ cursor });
			expect(r.status).toBe(400);
			expect(r.body.error?.code).toBe('invalid_request');
		}
		expect((await acme.api.listOperations({ limit: 0 })).status).toBe(400);
		expect((await acme.api.listOperations({ limit: 1001 })).status).toBe(400);
	});
});
