/**
 * Scenario "lists" (issue 17, pages for large fleets): the server time of the paged lists at fleet size.
 * A real SQLite store in a temp directory is seeded directly through the repositories (devices, enrollments
 * with names, tags, batches and operations: 10,000 devices and 200,000 operations by default), then the
 * services the REST handlers call are timed in this process, no HTTP or sockets in between:
 * - devices.page: the first page, a page deep in the list (after a cursor), a name search, a tag filter,
 *   a last_seen filter, a component filter;
 * - operations.page: the first page, a deep page, by status, by device;
 * - the jobs page (batches with their sums) and the other paged lists.
 * Each call runs `repeat` times after one warm-up; p50 and p95 in milliseconds. The goal (issue 17) is
 * p95 ≤ 50 ms for the device list and the operation list.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { parseConfig } from '../../src/lib/server/config';
import { createApp } from '../../src/lib/server/create-app';
import { createLogger } from '../../src/lib/server/logger';
import * as devicesRepo from '../../src/lib/server/db/repos/devices';
import * as enrollmentsRepo from '../../src/lib/server/db/repos/enrollments';
import * as tagsRepo from '../../src/lib/server/db/repos/device-tags';
import * as batchesRepo from '../../src/lib/server/db/repos/batches';
import * as opsRepo from '../../src/lib/server/db/repos/operations';
import * as inventoryRepo from '../../src/lib/server/db/repos/inventory';
import type { BenchContext } from '../lib/context';
import { round, summarize, type Summary } from '../lib/stats';

const SYSTEM = { type: 'system', id: 'bench' } as const;
const STATUSES = ['completed', 'completed', 'completed', 'failed', 'queued', 'delivered', 'expired', 'cancelled'] as const;
const DAY = 24 * 3600_000;

/** Wall time p50/p95 (ms) and the CPU time of this process per call (p50, ms): steadier on a shared machine. */
export type ListTiming = { call: string; total: number; rows: number; cpuP50: number } & Summary;
export type ListFigures = { devices: number; operations: number; seedS: number; timings: ListTiming[] };

type Page = { ok: true; value: { items: unknown[]; nextCursor: string | null; total: number } } | { ok: false; error: { message: string } };

export function measureLists(devices: number, operations: number, repeat: number): ListFigures {
	const dir = mkdtempSync(path.join(tmpdir(), 'scomo-bench-lists-'));
	const app = createApp(parseConfig({ SCOMO_DATA_DIR: dir, SCOMO_LOG_LEVEL: 'silent' }), { log: createLogger('silent') });
	try {
		const ma = app.services.mas.create('Lists MA', SYSTEM);
		if (!ma.ok) throw new Error(ma.error.message);
		const maId = ma.value.maId;
		const db = app.store.db;
		const now = Date.now();
		const t0 = performance.now();
		const ids: string[] = [];
		db.transaction((tx) => {
			for (let i = 0; i < devices; i++) {
				const id = uuidv7();
				devicesRepo.insertDevice(tx, {
					id,
					publicKey: randomBytes(32).toString('base64url'),
					keyAlgorithm: 'Ed25519',
					manufacturer: 'Bench',
					model: i % 3 === 0 ? 'K-10' : 'T-2',
					baselineBuildId: `acme-os-1.${i % 5}`,
					softwareVersion: '1.0.0',
					kind: 'agent',
					createdAt: now - DAY
				});
				enrollmentsRepo.insertEnrollment(tx, { deviceId: id, maId, enrolledAt: now - DAY, name: `${['Lobby', 'Shelf', 'Reception', 'Kiosk'][i % 4]} ${String(i).padStart(5, '0')}` });
				if (i % 10 === 0) tagsRepo.replaceTags(tx, id, maId, [{ key: 'lobby', value: null }, { key: 'floor', value: String(i % 7) }]);
				if (i % 2 === 0) devicesRepo.touchDevice(tx, id, now - (i % 20) * DAY);
				if (i % 4 === 0)
					inventoryRepo.insertInventory(tx, [
						{ deviceId: id, maId, componentId: 'com.acme.weather', stage: 'deployed', version: `1.${i % 3}.0`, deployedState: 'Active', operationalState: 'Running', updatedAt: now }
					]);
				ids.push(id);
			}
		});
		// Batches of 1,000 devices (10 % of the default fleet), one operation each, spread over 30 days.
		const perBatch = Math.min(1000, devices);
		const batchCount = Math.ceil(operations / perBatch);
		db.transaction((tx) => {
			for (let b = 0; b < batchCount; b++) {
				const batchId = uuidv7();
				const createdAt = now - 30 * DAY + Math.floor((b / batchCount) * 30 * DAY);
				batchesRepo.insertBatch(tx, { id: batchId, maId, consentMode: 'silent', intent: 'bench', createdBy: 'bench', createdAt });
				const rows = [];
				for (let j = 0; j < perBatch && b * perBatch + j < operations; j++) {
					const status = STATUSES[(b + j) % STATUSES.length]!;
					const done = status !== 'queued' && status !== 'delivered';
					rows.push({
						id: uuidv7(),
						correlator: randomBytes(9).toString('base64url'),
						maId,
						deviceId: ids[(b * 37 + j) % ids.length]!,
						batchId,
						seq: 0,
						kind: b % 2 ? 'Start' : 'Stop',
						componentId: 'com.acme.weather',
						consentMode: 'silent',
						intent: 'bench',
						status,
						resultCode: done ? (status === 'completed' ? 1200 : 1400) : null,
						createdBy: 'bench',
						createdAt,
						completedAt: done ? createdAt + 60_000 : null,
						expiresAt: createdAt + 7 * DAY
					});
				}
				opsRepo.insertOperations(tx, rows);
			}
		});
		const seedS = (performance.now() - t0) / 1000;

		const timings: ListTiming[] = [];
		const time = (call: string, fn: () => Page) => {
			const first = fn();
			if (!first.ok) throw new Error(`${call}: ${first.error.message}`);
			const ms: number[] = [];
			const cpu: number[] = [];
			for (let i = 0; i < repeat; i++) {
				const c = process.cpuUsage();
				const s = performance.now();
				fn();
				ms.push(performance.now() - s);
				const d = process.cpuUsage(c);
				cpu.push((d.user + d.system) / 1000);
			}
			timings.push({ call, total: first.value.total, rows: first.value.items.length, cpuP50: summarize(cpu).p50, ...summarize(ms) });
			return first.value;
		};
		const s = app.services;
		// A cursor half-way through each list: keyset pages cost the same wherever they are.
		const deepDevice = (() => {
			let c: string | null = null;
			for (let i = 0; i < Math.floor(devices / 2 / 1000); i++) {
				const p = s.devices.page(maId, { limit: 1000, cursor: c ?? undefined });
				c = p.ok ? p.value.nextCursor : null;
			}
			return c;
		})();
		const deepOp = (() => {
			let c: string | null = null;
			for (let i = 0; i < Math.floor(operations / 2 / 1000); i++) {
				const p = s.operations.page(maId, { limit: 1000, cursor: c ?? undefined });
				c = p.ok ? p.value.nextCursor : null;
			}
			return c;
		})();
		time('devices: first page of 100', () => s.devices.page(maId, { limit: 100 }));
		if (deepDevice) time('devices: page of 100 half-way (cursor)', () => s.devices.page(maId, { limit: 100, cursor: deepDevice }));
		time('devices: name search "Lobby"', () => s.devices.page(maId, { filter: 'Lobby', limit: 100 }));
		time('devices: tag == lobby and tag.floor == 3', () => s.devices.page(maId, { filter: 'tag == lobby and tag.floor == 3', limit: 100 }));
		time('devices: last_seen < 7d', () => s.devices.page(maId, { filter: 'last_seen < 7d', limit: 100 }));
		time('devices: component[com.acme.weather].version < 1.2', () => s.devices.page(maId, { filter: 'component[com.acme.weather].version < 1.2', limit: 100 }));
		time('operations: first page of 100', () => s.operations.page(maId, { limit: 100 }));
		if (deepOp) time('operations: page of 100 half-way (cursor)', () => s.operations.page(maId, { limit: 100, cursor: deepOp }));
		time('operations: status == failed', () => s.operations.page(maId, { status: 'failed', limit: 100 }));
		time('operations: one device', () => s.operations.page(maId, { deviceId: ids[1]!, limit: 100 }));
		time('jobs: first page of 50 (batches with sums)', () => s.operations.jobPage(maId, { limit: 50 }));
		time('device requests: first page', () => s.deviceRequests.page(maId, { limit: 100 }));
		return { devices, operations, seedS: round(seedS, 1), timings };
	} finally {
		app.store.close();
		rmSync(dir, { recursive: true, force: true });
	}
}

export function listsScenario(ctx: BenchContext) {
	const f = measureLists(ctx.opts.listDevices, ctx.opts.listOperations, ctx.opts.quick ? 5 : 30);
	ctx.details.lists = f;
	for (const t of f.timings) console.log(`  ${t.call}: p50 ${t.p50} ms, p95 ${t.p95} ms, CPU p50 ${t.cpuP50} ms (${t.rows} rows of ${t.total})`);
	const worst = (prefix: string) => f.timings.filter((t) => t.call.startsWith(prefix)).reduce((a, t) => (t.p95 > a.p95 ? t : a));
	for (const [prefix, key, what] of [
		['devices:', 'lists.devices', 'device list'],
		['operations:', 'lists.operations', 'operation list']
	] as const) {
		const w = worst(prefix);
		ctx.figure({
			scenario: 'lists',
			key: `${key}.p95`,
			figure: `${what} page server time p95, worst query (${f.devices} devices, ${f.operations} operations, SQLite)`,
			value: w.p95,
			unit: 'ms',
			goal: { op: '<=', value: 50 },
			raw: null,
			note: `${w.call}; p50 ${w.p50} ms; CPU p50 ${w.cpuP50} ms`
		});
	}
	ctx.check('lists', 'every list answered a page with the right total', f.timings.every((t) => t.total >= t.rows), JSON.stringify(f.timings.map((t) => [t.call, t.rows, t.total])));
}
