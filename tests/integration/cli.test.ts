/**
 * The operators' CLI (cli/main.ts) against the real server, run as a child process with an API token made by
 * the admin tool: list (tables, JSON, every page), rename, tag and untag, create operations on devices and on
 * a filter, show and list them; groups (static and dynamic) and rollouts (from flags on a group, and from a JSON
 * file) made, changed and driven through the CLI; each result is checked through REST. API errors print their stable code and
 * exit non-zero; a read-only token cannot change anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestServer, newMa, manifest, bundle, type TestServer } from '../support/test-server';
import { TestDevice } from '../support/test-device';
import { createTokenAsync } from '../support/admin-cli';
import { scomoCli } from '../support/scomo-cli';
import type { DeviceView, OperationView } from '../support/api-client';

let server: TestServer;
let acme: ReturnType<typeof newMa>;
let env: Record<string, string>;
let readerEnv: Record<string, string>;
const ids: string[] = [];

const cli = (...args: string[]) => scomoCli(args, env);
async function json<T>(...args: string[]): Promise<T> {
	const r = await cli('--json', ...args);
	expect(r.code, r.stderr).toBe(0);
	return JSON.parse(r.stdout) as T;
}

beforeAll(async () => {
	server = await startTestServer();
	acme = newMa(server, 'Acme');
	const operate = await createTokenAsync(server.dataDir, acme.maId, 'operate', 'cli');
	const read = await createTokenAsync(server.dataDir, acme.maId, 'read', 'cli-reader');
	env = { SCOMO_URL: server.url, SCOMO_TOKEN: operate.token };
	readerEnv = { SCOMO_URL: server.url, SCOMO_TOKEN: read.token };
	expect((await acme.api.uploadPackage(manifest('com.acme.clock', '1.0.0'), bundle())).status).toBe(201);
	for (let i = 1; i <= 3; i++) {
		const code = await acme.api.createEnrollmentCode({ label: `Shelf ${i}` });
		const d = new TestDevice(server.url, { manufacturer: 'Test Co', model: 'T-1', baselineBuildId: 'acme-os-1.4', softwareVersion: '1' });
		expect((await d.enroll(code.body.code)).status).toBe(201);
		ids.push(d.deviceId!);
	}
}, 180_000);

afterAll(async () => {
	await server?.close();
});

describe('the scomo CLI over REST', () => {
	it('lists devices as a table, and as JSON following every cursor', async () => {
		const table = await cli('devices', 'list');
		expect(table.code, table.stderr).toBe(0);
		expect(table.stdout).toMatch(/^ID\s+NAME\s+ONLINE/);
		for (const n of ['Shelf 1', 'Shelf 2', 'Shelf 3']) expect(table.stdout).toContain(n);
		expect(table.stdout).toContain('3 of 3');
		const one = await json<{ items: DeviceView[]; nextCursor: string | null; total: number }>('devices', 'list', '--limit', '1');
		expect(one.items).toHaveLength(1);
		expect(one.nextCursor).toBeTruthy();
		const all = await json<{ items: DeviceView[]; total: number }>('devices', 'list', '--limit', '1', '--all');
		expect(all.total).toBe(3);
		expect(all.items.map((d) => d.id).sort()).toEqual([...ids].sort());
	});

	it('renames, tags and untags a device (checked through REST)', async () => {
		const id = ids[0]!;
		expect((await cli('devices', 'rename', id, 'Lobby kiosk')).code).toBe(0);
		expect((await acme.api.getDevice(id)).body.device.name).toBe('Lobby kiosk');
		expect((await cli('devices', 'tag', id, 'lobby', 'floor=3')).code).toBe(0);
		expect((await acme.api.getDevice(id)).body.device.tags).toEqual(expect.arrayContaining([{ key: 'lobby', value: null }, { key: 'floor', value: '3' }]));
		expect((await cli('devices', 'tag', id, 'floor=4')).code).toBe(0);
		expect((await cli('devices', 'untag', id, 'lobby')).code).toBe(0);
		expect((await acme.api.getDevice(id)).body.device.tags).toEqual([{ key: 'floor', value: '4' }]);
		const shown = await cli('devices', 'show', id);
		expect(shown.stdout).toMatch(/name:\s+Lobby kiosk/);
		const filtered = await json<{ items: DeviceView[] }>('devices', 'list', '--filter', 'tag.floor == 4');
		expect(filtered.items.map((d) => d.id)).toEqual([id]);
	});

	it('creates operations on devices and on a filter, lists and shows them', async () => {
		const onTwo = await json<{ batchId: string; operations: OperationView[] }>(
			'operations', 'create', 'install', 'com.acme.clock', '--device', ids[1]!, '--device', ids[2]!, '--then', 'start', '--consent', 'silent', '--intent', 'The new clock'
		);
		expect(onTwo.operations.map((o) => o.kind).sort()).toEqual(['DownloadInstall', 'DownloadInstall', 'Start', 'Start']);
		const batch = await acme.api.listOperations({ batchId: onTwo.batchId });
		expect(batch.body.total).toBe(4);
		expect(new Set(batch.body.items.map((o) => o.deviceId))).toEqual(new Set([ids[1], ids[2]]));
		expect(batch.body.items.every((o) => o.intent === 'The new clock' && o.consentMode === 'silent')).toBe(true);

		const byFilter = await json<{ batchId: string; operations: OperationView[] }>('operations', 'create', 'inventory', '--filter', 'Lobby', '--consent', 'silent');
		expect(byFilter.operations.map((o) => o.deviceId)).toEqual([ids[0]]);
		expect((await acme.api.listOperations({ deviceId: ids[0]! })).body.items.map((o) => o.kind)).toEqual(['Inventory']);

		const listed = await json<{ items: OperationView[]; total: number }>('operations', 'list', '--limit', '2', '--all');
		expect(listed.total).toBe(5);
		expect(new Set(listed.items.map((o) => o.id)).size).toBe(5);
		const corr = byFilter.operations[0]!.correlator;
		const shown = await cli('operations', 'show', corr);
		expect(shown.code, shown.stderr).toBe(0);
		expect(shown.stdout).toContain(corr);
		expect(shown.stdout).toMatch(/kind:\s+Inventory/);
	});

	it('lists packages', async () => {
		const table = await cli('packages', 'list');
		expect(table.code, table.stderr).toBe(0);
		expect(table.stdout).toContain('com.acme.clock');
		const page = await json<{ items: { componentId: string }[]; total: number }>('packages', 'list');
		expect(page.items.map((p) => p.componentId)).toEqual(['com.acme.clock']);
	});

	it('creates, changes and lists groups (checked through REST)', async () => {
		type Group = { id: string; name: string; kind: string; filter: string | null; memberCount: number };
		const shelves = await json<Group>('groups', 'create', 'Shelves', '--static', '--device', ids[1]!, '--description', 'the shelf screens');
		expect(shelves).toMatchObject({ name: 'Shelves', kind: 'static', memberCount: 1 });
		const added = await cli('groups', 'add', 'shelves', ids[2]!, ids[0]!);
		expect(added.code, added.stderr).toBe(0);
		expect(added.stdout).toContain('2 devices joined Shelves; it has 3 now.');
		expect((await cli('groups', 'remove', shelves.id, ids[0]!)).code).toBe(0);
		const members = await acme.api.request<{ items: DeviceView[]; total: number }>('GET', `/api/v1/groups/${shelves.id}/devices`);
		expect(members.body.items.map((d) => d.id).sort()).toEqual([ids[1]!, ids[2]!].sort());

		const floor = await json<Group>('groups', 'create', 'Floor 4', '--filter', 'tag.floor == 4');
		expect(floor).toMatchObject({ kind: 'dynamic', filter: 'tag.floor == 4', memberCount: 1 });
		expect((await cli('groups', 'update', 'Floor 4', '--name', 'Fourth floor', '--filter', 'tag.floor == 4 or Shelf')).code).toBe(0);
		const rest = await acme.api.request<Group>('GET', `/api/v1/groups/${floor.id}`);
		expect(rest.body).toMatchObject({ name: 'Fourth floor', filter: 'tag.floor == 4 or Shelf', memberCount: 3 });
		const devs = await json<{ items: DeviceView[]; total: number }>('groups', 'devices', 'Fourth floor', '--limit', '1', '--all');
		expect(devs.total).toBe(3);
		expect(devs.items).toHaveLength(3);

		const table = await cli('groups', 'list');
		expect(table.stdout).toMatch(/^ID\s+NAME\s+KIND\s+DEVICES/);
		expect(table.stdout).toContain('Fourth floor');
		expect(table.stdout).toContain('2 of 2');
		const dynamicAdd = await cli('groups', 'add', 'Fourth floor', ids[0]!);
		expect(dynamicAdd.code).toBe(1);
		expect(dynamicAdd.stderr).toMatch(/^error conflict: /);
		expect((await cli('groups', 'delete', 'Fourth floor')).code).toBe(0);
		expect((await acme.api.request('GET', `/api/v1/groups/${floor.id}`)).status).toBe(404);
		const neither = await cli('groups', 'create', 'Nope');
		expect(neither.code).toBe(2);
	});

	it('creates a phased rollout on a group from flags, starts, pauses, resumes and aborts it (checked through REST)', async () => {
		type Detail = { rollout: { id: string; status: string }; definition: { target: unknown; mode: string; steps: { operations: unknown[]; consentMode: string }; phases: { size: unknown; success: { then: string } }[] }; phases: { tally: { total: number } }[] };
		const shelves = (await acme.api.request<{ items: { id: string; name: string }[] }>('GET', '/api/v1/groups')).body.items.find((g) => g.name === 'Shelves')!;
		const created = await json<{ id: string; status: string }>(
			'rollouts', 'create', '--name', 'Clock to the shelves', '--group', 'Shelves', '--step', 'install:com.acme.clock@1.0.0', '--step', 'start:com.acme.clock',
			'--phases', '1,rest', '--confirm', '--consent', 'silent', '--intent', 'The new clock'
		);
		expect(created.status).toBe('draft');
		const def = (await acme.api.request<Detail>('GET', `/api/v1/rollouts/${created.id}`)).body.definition;
		expect(def.target).toEqual({ kind: 'group', groupId: shelves.id });
		expect(def.steps.operations).toEqual([{ kind: 'DownloadInstall', componentId: 'com.acme.clock', version: '1.0.0' }, { kind: 'Start', componentId: 'com.acme.clock' }]);
		expect(def.steps.consentMode).toBe('silent');
		expect(def.phases.map((p) => p.size)).toEqual([{ kind: 'count', count: 1 }, { kind: 'rest' }]);
		expect(def.phases.map((p) => p.success.then)).toEqual(['pause', 'advance']);

		const started = await cli('rollouts', 'start', created.id);
		expect(started.code, started.stderr).toBe(0);
		expect(started.stdout).toContain('Rollout Clock to the shelves: running');
		const shown = await cli('rollouts', 'show', created.id);
		expect(shown.code, shown.stderr).toBe(0);
		expect(shown.stdout).toMatch(/status:\s+running/);
		expect(shown.stdout).toMatch(/^#\s+PHASE\s+STATUS\s+TOTAL\s+OK\s+FAILED\s+REFUSED\s+PENDING$/m);
		const detail = (await acme.api.request<Detail>('GET', `/api/v1/rollouts/${created.id}`)).body;
		expect(detail.phases.map((p) => p.tally.total)).toEqual([1, 1]);
		const devs = await json<{ items: { deviceId: string; phaseIdx: number }[]; total: number }>('rollouts', 'devices', created.id, '--phase', '1');
		expect(devs.total).toBe(1);
		expect([ids[1], ids[2]]).toContain(devs.items[0]!.deviceId);

		expect((await cli('rollouts', 'pause', created.id, '--note', 'lunch')).code).toBe(0);
		expect((await acme.api.request<Detail>('GET', `/api/v1/rollouts/${created.id}`)).body.rollout.status).toBe('paused');
		expect((await cli('rollouts', 'resume', created.id)).code).toBe(0);
		expect((await acme.api.request<Detail>('GET', `/api/v1/rollouts/${created.id}`)).body.rollout.status).toBe('running');
		const listed = await json<{ items: { id: string }[] }>('rollouts', 'list', '--status', 'running');
		expect(listed.items.map((r) => r.id)).toEqual([created.id]);
		expect((await cli('rollouts', 'abort', created.id)).code).toBe(0);
		expect((await acme.api.request<Detail>('GET', `/api/v1/rollouts/${created.id}`)).body.rollout.status).toBe('aborted');
		const again = await cli('rollouts', 'start', created.id);
		expect(again.code).toBe(1);
		expect(again.stderr).toMatch(/^error conflict: /);
	});

	it('creates a rollout from a JSON definition file', async () => {
		const file = path.join(tmpdir(), `rollout-${randomUUID()}.json`);
		writeFileSync(file, JSON.stringify({
			name: 'Inventory all', target: { kind: 'filter', filter: '' }, mode: 'continuous',
			steps: { operations: [{ kind: 'Inventory' }], consentMode: 'silent' },
			phases: [{ name: 'all', size: { kind: 'rest' }, success: { percent: 100, then: 'advance' }, error: { count: 1, then: 'pause' }, refusal: { count: 1, then: 'pause' } }]
		}));
		const created = await json<{ id: string; status: string }>('rollouts', 'create', '--file', file);
		rmSync(file);
		const r = await acme.api.request<{ definition: { name: string; mode: string } }>('GET', `/api/v1/rollouts/${created.id}`);
		expect(r.body.definition).toMatchObject({ name: 'Inventory all', mode: 'continuous' });
		const bad = await cli('rollouts', 'create', '--name', 'x', '--filter', '', '--step', 'install:com.acme.clock', '--phases', '1,lots');
		expect(bad.code).toBe(2);
		expect(bad.stderr).toContain('lots');
	});

	it('prints API errors with their stable code and exits non-zero', async () => {
		const missing = await cli('devices', 'show', randomUUID());
		expect(missing.code).toBe(1);
		expect(missing.stderr).toMatch(/^error not_found: /);
		const badFilter = await cli('devices', 'list', '--filter', 'tag ==');
		expect(badFilter.code).toBe(1);
		expect(badFilter.stderr).toMatch(/^error invalid_request: .*\(at character \d+\)/);
		const reader = await scomoCli(['devices', 'rename', ids[1]!, 'Nope'], readerEnv);
		expect(reader.code).toBe(1);
		expect(reader.stderr).toMatch(/^error forbidden: /);
		expect((await acme.api.getDevice(ids[1]!)).body.device.name).toBe('Shelf 2');
		const noToken = await scomoCli(['devices', 'list'], { SCOMO_URL: server.url });
		expect(noToken.code).toBe(2);
		expect(noToken.stderr).toContain('SCOMO_TOKEN');
		const badToken = await scomoCli(['devices', 'list'], { SCOMO_URL: server.url, SCOMO_TOKEN: 'not-a-token' });
		expect(badToken.code).toBe(1);
		expect(badToken.stderr).toMatch(/^error unauthenticated: /);
	});
});
