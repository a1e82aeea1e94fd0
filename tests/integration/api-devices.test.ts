/**
 * Device identity and the devices list over REST, against the real server: two real agents enrolled with
 * labelled codes ("Lobby kiosk", "Reception tablet") and 23 protocol-level devices (real HTTP enrollment,
 * no socket, so offline): the label becomes the name; rename, notes and tags with PATCH (audited); the filter
 * language with keyset pages (every device once, totals right); names and tags per MA, and another MA's
 * device answers 404 exactly like a missing one; a bad filter answers 400 with the position.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { startTestServer, newMa, type TestServer } from '../support/test-server';
import { startAgent, type AgentProcess } from '../support/agent-process';
import { TestDevice } from '../support/test-device';
import { createToken } from '../support/admin-cli';
import type { DeviceView } from '../support/api-client';

type Page = { items: DeviceView[]; nextCursor: string | null; total: number };

let server: TestServer;
let acme: ReturnType<typeof newMa>;
let globex: ReturnType<typeof newMa>;
const agents: AgentProcess[] = [];
let lobbyId: string;
let receptionId: string;
const shelfIds: string[] = [];

async function enrollAgent(label: string): Promise<string> {
	const code = await acme.api.createEnrollmentCode({ label });
	expect(code.status).toBe(201);
	const agent = startAgent({ server: server.url, enroll: code.body.code, consent: { default: 'accept' } });
	agents.push(agent);
	const id = String((await agent.waitEvent('enrolled')).deviceId);
	await agent.waitEvent('connected');
	return id;
}

const list = (api: typeof acme.api, query: Record<string, string>) => api.request<Page>('GET', `/api/v1/devices?${new URLSearchParams(query)}`);

/** Every page of a filtered list, following nextCursor. */
async function walk(filter: string, limit: number) {
	const ids: string[] = [];
	const totals = new Set<number>();
	let cursor: string | null = null;
	let pages = 0;
	do {
		const r = await list(acme.api, { ...(filter ? { filter } : {}), limit: String(limit), ...(cursor ? { cursor } : {}) });
		expect(r.status).toBe(200);
		expect(r.body.items.length).toBeLessThanOrEqual(limit);
		ids.push(...r.body.items.map((d) => d.id));
		totals.add(r.body.total);
		cursor = r.body.nextCursor;
		pages++;
	} while (cursor && pages < 50);
	return { ids, totals: [...totals], pages };
}

beforeAll(async () => {
	server = await startTestServer();
	acme = newMa(server, 'Acme');
	globex = newMa(server, 'Globex');
	lobbyId = await enrollAgent('Lobby kiosk');
	receptionId = await enrollAgent('Reception tablet');
	for (let i = 1; i <= 23; i++) {
		const code = await acme.api.createEnrollmentCode({ label: `Shelf ${String(i).padStart(2, '0')}` });
		const d = new TestDevice(server.url, { manufacturer: 'Test Co', model: 'T-1', baselineBuildId: i % 2 ? 'acme-os-1.4' : 'acme-os-2.0', softwareVersion: '1' });
		expect((await d.enroll(code.body.code)).status).toBe(201);
		shelfIds.push(d.deviceId!);
	}
}, 180_000);

afterAll(async () => {
	await Promise.all(agents.map((a) => a.kill()));
	await server?.close();
});

describe('device identity over REST', () => {
	it('the enrollment label is the device’s name, and a plain word finds it', async () => {
		const r = await list(acme.api, { filter: 'Lobby' });
		expect(r.status).toBe(200);
		expect(r.body.total).toBe(1);
		expect(r.body.items).toMatchObject([{ id: lobbyId, name: 'Lobby kiosk', notes: '', tags: [], online: true }]);
		expect((await list(acme.api, { filter: 'name == "reception*"' })).body.items.map((d) => d.id)).toEqual([receptionId]);
	});

	it('renames a device and sets notes and tags with PATCH; the filter finds it by them; the change is audited', async () => {
		const r = await acme.api.request<DeviceView>('PATCH', `/api/v1/devices/${lobbyId}`, { name: 'Lobby kiosk (east)', notes: 'Behind the desk', tags: ['lobby', 'floor=3'] });
		expect(r.status).toBe(200);
		expect(r.body).toMatchObject({ id: lobbyId, name: 'Lobby kiosk (east)', notes: 'Behind the desk', tags: [{ key: 'floor', value: '3' }, { key: 'lobby', value: null }] });
		// Fields not given stay as they are.
		const tagsOnly = await acme.api.request<DeviceView>('PATCH', `/api/v1/devices/${lobbyId}`, { tags: ['lobby', 'floor=3', 'screen=large'] });
		expect(tagsOnly.body).toMatchObject({ name: 'Lobby kiosk (east)', notes: 'Behind the desk' });
		expect((await acme.api.getDevice(lobbyId)).body.device).toMatchObject({ name: 'Lobby kiosk (east)', tags: expect.arrayContaining([{ key: 'screen', value: 'large' }]) });

		const found = await list(acme.api, { filter: 'tag.floor == 3 and tag == lobby and online == true' });
		expect(found.body.items.map((d) => d.id)).toEqual([lobbyId]);
		expect((await list(acme.api, { filter: 'tag == lobby and online == false' })).body.total).toBe(0);

		const db = new Database(path.join(server.dataDir, 'scomo.db'), { readonly: true });
		const rows = db.prepare("select actor_type, detail from audit_events where action = 'device.update' and target_id = ? order by at").all(lobbyId) as { actor_type: string; detail: string }[];
		db.close();
		expect(rows.length).toBe(2);
		expect(rows[0]!.actor_type).toBe('token');
		expect(JSON.parse(rows[0]!.detail)).toMatchObject({ name: { from: 'Lobby kiosk', to: 'Lobby kiosk (east)' }, notes: 'changed', tags: ['lobby', 'floor=3'] });
	});

	it('refuses invalid names and tags with the field named, and a read-only token', async () => {
		const bad = await acme.api.request('PATCH', `/api/v1/devices/${lobbyId}`, { tags: ['two words'] });
		expect(bad.status).toBe(400);
		expect(bad.body.error).toMatchObject({ code: 'invalid_request', issues: [{ path: 'tags' }] });
		expect((await acme.api.request('PATCH', `/api/v1/devices/${lobbyId}`, { name: 'x'.repeat(81) })).status).toBe(400);
		expect((await acme.api.request('PATCH', `/api/v1/devices/${lobbyId}`, { colour: 'red' })).status).toBe(400);
		const reader = server.api(createToken(server.dataDir, acme.maId, 'read').token);
		const r = await reader.request('PATCH', `/api/v1/devices/${lobbyId}`, { name: 'viewer was here' });
		expect(r.status).toBe(403);
		expect((await reader.getDevice(lobbyId)).body.device.name).toBe('Lobby kiosk (east)');
	});

	it('names and tags are per MA; another MA’s device is not found, exactly like a missing one', async () => {
		// The same device enrolled with Globex too: Globex names it its own way, Acme's name stays.
		const shared = new TestDevice(server.url);
		const c1 = await acme.api.createEnrollmentCode({ label: 'Shared screen' });
		expect((await shared.enroll(c1.body.code)).status).toBe(201);
		const c2 = await globex.api.createEnrollmentCode({ label: 'Globex wall' });
		expect((await shared.enroll(c2.body.code)).status).toBe(201);
		expect((await globex.api.getDevice(shared.deviceId!)).body.device.name).toBe('Globex wall');
		expect((await acme.api.getDevice(shared.deviceId!)).body.device.name).toBe('Shared screen');
		expect((await globex.api.request('PATCH', `/api/v1/devices/${shared.deviceId}`, { tags: ['globex'] })).status).toBe(200);
		expect((await acme.api.getDevice(shared.deviceId!)).body.device.tags).toEqual([]);
		expect((await list(acme.api, { filter: 'tag == globex' })).body.total).toBe(0);
		// Revoke it from Acme again so the counts below stay 25.
		expect((await acme.api.request('POST', `/api/v1/devices/${shared.deviceId}/revoke`)).status).toBe(200);

		const foreign = await globex.api.request('PATCH', `/api/v1/devices/${lobbyId}`, { name: 'Mine now' });
		const missing = await globex.api.request('PATCH', `/api/v1/devices/${randomUUID()}`, { name: 'Mine now' });
		expect(foreign.status).toBe(404);
		expect(foreign.body).toEqual(missing.body);
		expect((await globex.api.getDevice(lobbyId)).status).toBe(404);
		expect((await list(globex.api, { filter: 'Lobby' })).body).toEqual({ items: [], nextCursor: null, total: 0 });
		expect((await acme.api.getDevice(lobbyId)).body.device.name).toBe('Lobby kiosk (east)');
	});
});

describe('the devices list: filter and keyset pages', () => {
	it('walks all 25 devices in pages of 7 with no duplicates, in name order, the total on every page', async () => {
		const all = await walk('', 7);
		expect(all.pages).toBe(4);
		expect(all.totals).toEqual([25]);
		expect(new Set(all.ids).size).toBe(25);
		expect(new Set(all.ids)).toEqual(new Set([lobbyId, receptionId, ...shelfIds]));
		const names = await Promise.all(all.ids.map(async (id) => (await acme.api.getDevice(id)).body.device.name));
		expect(names).toEqual([...names].sort());
	});

	it('a filtered walk: 23 shelves in pages of 5, then the odd ones by baseline; online devices from the live sockets', async () => {
		const shelves = await walk('Shelf', 5);
		expect(shelves.totals).toEqual([23]);
		expect(shelves.pages).toBe(5);
		expect(new Set(shelves.ids)).toEqual(new Set(shelfIds));
		const odd = await walk('shelf and baseline == "acme-os-1*"', 100);
		expect(odd.ids.length).toBe(12);
		expect(odd.totals).toEqual([12]);
		const online = await list(acme.api, { filter: 'online == true' });
		expect(new Set(online.body.items.map((d) => d.id))).toEqual(new Set([lobbyId, receptionId]));
		expect((await list(acme.api, { filter: 'not online == true and last_seen < 1d' })).body.total).toBe(0);
	});

	it('a bad filter is 400 with the position where reading stopped; bad cursors and limits are 400', async () => {
		const r = await list(acme.api, { filter: 'tag == lobby and online = true' });
		expect(r.status).toBe(400);
		expect(r.body.error).toMatchObject({ code: 'invalid_request', position: 24, issues: [{ path: 'filter', message: 'use == to compare' }] });
		expect(r.body.error!.message).toContain('at character 25');
		expect((await list(acme.api, { cursor: 'not-a-cursor' })).status).toBe(400);
		expect((await list(acme.api, { limit: '0' })).status).toBe(400);
		expect((await list(acme.api, { limit: '1001' })).status).toBe(400);
	});
});
