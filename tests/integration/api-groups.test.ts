/**
 * Device groups over REST, against the real server: 12 protocol-level devices enrolled over HTTP with
 * labelled codes in one MA and one in another; a static group of this MA's devices (another MA's device is
 * 404, like a missing one), a dynamic group by filter (a bad filter is 400 with the position, a cycle too),
 * `group ==` in the devices list, group pages walked without duplicates, a group's devices paged like the
 * devices list, members added and removed, a read token forbidden to change anything, another MA's token
 * answered 404 for every route, and the OpenAPI document describing the routes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, newMa, type TestServer } from '../support/test-server';
import { TestDevice } from '../support/test-device';
import { createTokenAsync } from '../support/admin-cli';
import type { DeviceView } from '../support/api-client';

type Page<T> = { items: T[]; nextCursor: string | null; total: number };
type Group = { id: string; name: string; kind: string; filter: string | null; memberCount: number; filterError: string | null };

let server: TestServer;
let acme: ReturnType<typeof newMa>;
let globex: ReturnType<typeof newMa>;
const ids: string[] = [];
let foreignId: string;

async function enroll(ma: ReturnType<typeof newMa>, label: string, baseline: string): Promise<string> {
	const code = await ma.api.createEnrollmentCode({ label });
	expect(code.status).toBe(201);
	const d = new TestDevice(server.url, { manufacturer: 'Test Co', model: 'T-1', baselineBuildId: baseline, softwareVersion: '1' });
	expect((await d.enroll(code.body.code)).status).toBe(201);
	return d.deviceId!;
}

beforeAll(async () => {
	server = await startTestServer();
	acme = newMa(server, 'Acme');
	globex = newMa(server, 'Globex');
	for (let i = 1; i <= 12; i++) ids.push(await enroll(acme, `Screen ${String(i).padStart(2, '0')}`, i <= 8 ? 'acme-os-1.4' : 'acme-os-2.0'));
	foreignId = await enroll(globex, 'Globex screen', 'acme-os-1.4');
}, 180_000);

afterAll(async () => {
	await server?.close();
});

describe('device groups over REST', () => {
	let staticGroup: Group;
	let dynamicGroup: Group;

	it('creates a static group of this MA’s devices; another MA’s device is 404', async () => {
		const r = await acme.api.request<Group>('POST', '/api/v1/groups', { name: 'Lobby screens', kind: 'static', deviceIds: ids.slice(0, 3) });
		expect(r.status).toBe(201);
		expect(r.body).toMatchObject({ name: 'Lobby screens', kind: 'static', filter: null, memberCount: 3 });
		staticGroup = r.body;
		const foreign = await acme.api.request<Group>('POST', `/api/v1/groups/${staticGroup.id}/members`, { deviceIds: [foreignId] });
		expect(foreign.status).toBe(404);
		expect(foreign.body.error?.code).toBe('not_found');
		const mixed = await acme.api.request('POST', '/api/v1/groups', { name: 'Mixed', kind: 'static', deviceIds: [ids[4], foreignId] });
		expect(mixed.status).toBe(404);
		const dup = await acme.api.request('POST', '/api/v1/groups', { name: 'LOBBY SCREENS', kind: 'static' });
		expect(dup.status).toBe(409);
		const bad = await acme.api.request('POST', '/api/v1/groups', { name: 'x', kind: 'sometimes' });
		expect(bad.status).toBe(400);
	});

	it('creates a dynamic group; a bad filter is 400 with the position, as is a cycle', async () => {
		const bad = await acme.api.request('POST', '/api/v1/groups', { name: 'New', kind: 'dynamic', filter: 'baseline == "acme-os-2*" and' });
		expect(bad.status).toBe(400);
		expect(bad.body.error).toMatchObject({ code: 'invalid_request', position: 28, issues: [{ path: 'filter' }] });
		const unknown = await acme.api.request('POST', '/api/v1/groups', { name: 'New', kind: 'dynamic', filter: 'group == "Nope"' });
		expect(unknown.body.error).toMatchObject({ code: 'invalid_request', position: 9, message: expect.stringContaining('unknown group') });
		const r = await acme.api.request<Group>('POST', '/api/v1/groups', { name: 'New OS', kind: 'dynamic', filter: 'baseline == "acme-os-2*"' });
		expect(r.status).toBe(201);
		expect(r.body).toMatchObject({ kind: 'dynamic', memberCount: 4, filterError: null });
		dynamicGroup = r.body;
		const cycle = await acme.api.request('PATCH', `/api/v1/groups/${dynamicGroup.id}`, { filter: 'group == "New OS" or tag == x' });
		expect(cycle.status).toBe(400);
		expect(cycle.body.error).toMatchObject({ position: 9, message: expect.stringContaining('includes itself') });
	});

	it('group == in the devices list selects members, and names a dynamic group’s matches', async () => {
		const members = await acme.api.request<Page<DeviceView>>('GET', `/api/v1/devices?${new URLSearchParams({ filter: 'group == "lobby screens"' })}`);
		expect(members.body.items.map((d) => d.name)).toEqual(['Screen 01', 'Screen 02', 'Screen 03']);
		const not = await acme.api.request<Page<DeviceView>>('GET', `/api/v1/devices?${new URLSearchParams({ filter: 'group != "Lobby screens" and group != "New OS"' })}`);
		expect(not.body.total).toBe(5);
		const unknown = await acme.api.request('GET', `/api/v1/devices?${new URLSearchParams({ filter: 'group == Gone' })}`);
		expect(unknown.status).toBe(400);
		expect(unknown.body.error?.position).toBe(9);
	});

	it('pages the groups and a group’s devices without duplicates', async () => {
		for (let i = 0; i < 5; i++) expect((await acme.api.request('POST', '/api/v1/groups', { name: `Shelf ${i}`, kind: 'static', deviceIds: ids })).status).toBe(201);
		const names: string[] = [];
		let cursor: string | null = null;
		do {
			const r: { status: number; body: Page<Group> } = await acme.api.request<Page<Group>>('GET', `/api/v1/groups?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
			expect(r.status).toBe(200);
			expect(r.body.total).toBe(7);
			names.push(...r.body.items.map((g) => g.name));
			cursor = r.body.nextCursor;
		} while (cursor && names.length < 20);
		expect(names).toEqual(['Lobby screens', 'New OS', 'Shelf 0', 'Shelf 1', 'Shelf 2', 'Shelf 3', 'Shelf 4']);
		const shelf = (await acme.api.request<Page<Group>>('GET', '/api/v1/groups?limit=100')).body.items.find((g) => g.name === 'Shelf 0')!;
		const seen: string[] = [];
		cursor = null;
		do {
			const r: { status: number; body: Page<DeviceView> } = await acme.api.request<Page<DeviceView>>('GET', `/api/v1/groups/${shelf.id}/devices?limit=5${cursor ? `&cursor=${cursor}` : ''}`);
			expect(r.status).toBe(200);
			expect(r.body.total).toBe(12);
			seen.push(...r.body.items.map((d) => d.id));
			cursor = r.body.nextCursor;
		} while (cursor && seen.length < 50);
		expect(seen).toHaveLength(12);
		expect(new Set(seen)).toEqual(new Set(ids));
		const dyn = await acme.api.request<Page<DeviceView>>('GET', `/api/v1/groups/${dynamicGroup.id}/devices`);
		expect(dyn.body.items.map((d) => d.name)).toEqual(['Screen 09', 'Screen 10', 'Screen 11', 'Screen 12']);
	});

	it('adds, removes, renames and deletes (operate token)', async () => {
		const add = await acme.api.request<{ group: Group; changed: number }>('POST', `/api/v1/groups/${staticGroup.id}/members`, { deviceIds: [ids[3], ids[0]] });
		expect(add.status).toBe(200);
		expect(add.body).toMatchObject({ changed: 1, group: { memberCount: 4 } });
		const rm = await acme.api.request<{ group: Group; changed: number }>('DELETE', `/api/v1/groups/${staticGroup.id}/members`, { deviceIds: [ids[0]] });
		expect(rm.body).toMatchObject({ changed: 1, group: { memberCount: 3 } });
		const dynAdd = await acme.api.request('POST', `/api/v1/groups/${dynamicGroup.id}/members`, { deviceIds: [ids[0]] });
		expect(dynAdd.status).toBe(409);
		const patch = await acme.api.request<Group>('PATCH', `/api/v1/groups/${staticGroup.id}`, { name: 'Lobby', description: 'by the door' });
		expect(patch.status).toBe(200);
		expect(patch.body).toMatchObject({ name: 'Lobby', memberCount: 3 });
		const got = await acme.api.request<Group>('GET', `/api/v1/groups/${staticGroup.id}`);
		expect(got.body).toMatchObject({ name: 'Lobby', description: 'by the door' });
	});

	it('a read token reads but may not change anything (403)', async () => {
		const read = server.api((await createTokenAsync(server.dataDir, acme.maId, 'read')).token);
		expect((await read.request('GET', '/api/v1/groups')).status).toBe(200);
		expect((await read.request('GET', `/api/v1/groups/${staticGroup.id}/devices`)).status).toBe(200);
		for (const [method, path, body] of [
			['POST', '/api/v1/groups', { name: 'Mine', kind: 'static' }],
			['PATCH', `/api/v1/groups/${staticGroup.id}`, { name: 'Mine' }],
			['DELETE', `/api/v1/groups/${staticGroup.id}`, undefined],
			['POST', `/api/v1/groups/${staticGroup.id}/members`, { deviceIds: [ids[5]] }],
			['DELETE', `/api/v1/groups/${staticGroup.id}/members`, { deviceIds: [ids[1]] }]
		] as const) {
			const r = await read.request(method, path, body);
			expect(r.status, `${method} ${path}`).toBe(403);
			expect(r.body.error?.code).toBe('forbidden');
		}
	});

	it('another MA’s group answers 404 on every route, like a missing one', async () => {
		const missing = '0190a000-0000-7000-8000-000000000000';
		for (const id of [staticGroup.id, missing]) {
			for (const [method, path, body] of [
				['GET', `/api/v1/groups/${id}`, undefined],
				['GET', `/api/v1/groups/${id}/devices`, undefined],
				['PATCH', `/api/v1/groups/${id}`, { name: 'Mine' }],
				['DELETE', `/api/v1/groups/${id}`, undefined],
				['POST', `/api/v1/groups/${id}/members`, { deviceIds: [foreignId] }]
			] as const) {
				const r = await globex.api.request(method, path, body);
				expect(r.status, `${method} ${path}`).toBe(404);
				expect(r.body.error?.code).toBe('not_found');
			}
		}
		expect((await globex.api.request<Page<Group>>('GET', '/api/v1/groups')).body).toMatchObject({ items: [], total: 0 });
		expect((await acme.api.request('DELETE', `/api/v1/groups/${dynamicGroup.id}`)).status).toBe(204);
		expect((await acme.api.request('GET', `/api/v1/groups/${dynamicGroup.id}`)).status).toBe(404);
	});

	it('the OpenAPI document describes the group routes', async () => {
		const doc = await server.api(null).request<{ paths: Record<string, Record<string, { requestBody?: unknown }>> }>('GET', '/api/v1/openapi.json');
		expect(Object.keys(doc.body.paths['/api/v1/groups']!)).toEqual(expect.arrayContaining(['get', 'post']));
		expect(Object.keys(doc.body.paths['/api/v1/groups/{id}/members']!)).toEqual(expect.arrayContaining(['post', 'delete']));
		expect(doc.body.paths['/api/v1/groups/{id}']!.patch!.requestBody).toBeDefined();
	});
});
