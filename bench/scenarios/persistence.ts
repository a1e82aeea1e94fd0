/**
 * Scenario 5, persistence: operation rows and result rows written per second by the product's own services
 * (operations.create for fan-outs of 1,000 devices, then operations.recordResult for each, exactly the calls
 * the REST route and the /device namespace make) on a real SQLite store in a temp directory, in this process
 * with no sockets involved. Results of a fan-out arrive together, as a fleet's do, so the group commit puts
 * each turn's results in one transaction.
 *
 * Raw baselines, the same work in the same run:
 * - operation rows: plain better-sqlite3 inserts of operation-shaped rows, 100 per transaction;
 * - results (results-raw.ts): the writes one result makes (close the operation, the report sequence, the
 *   inventory entry, the audit row) with plain prepared statements on SQLite, and as multi-row statements on
 *   PostgreSQL, one transaction per 1,000 results, on the product's own migrated schema.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { parseConfig } from '../../src/lib/server/config';
import { createApp } from '../../src/lib/server/create-app';
import { createLogger } from '../../src/lib/server/logger';
import * as devicesRepo from '../../src/lib/server/db/repos/devices';
import * as enrollmentsRepo from '../../src/lib/server/db/repos/enrollments';
import { BENCH_BUNDLE, BENCH_MANIFEST } from '../lib/setup';
import type { BenchContext } from '../lib/context';
import { round } from '../lib/stats';
import { measureRawPostgresResults, measureRawSqliteResults } from './results-raw';

const SYSTEM = { type: 'system', id: 'bench' } as const;
const FANOUT = 1000;

export type PersistenceFigures = {
	operationRowsPerSecond: number;
	resultRowsPerSecond: number;
	combinedPerSecond: number;
	rows: number;
	/** CPU microseconds per row (user + system of this process): steadier than wall time on a shared machine. */
	cpuUsPerOperationRow: number;
	cpuUsPerResultRow: number;
	/** Results per transaction the group commit made. */
	resultsPerCommit: number;
};

const cpuUs = () => {
	const u = process.cpuUsage();
	return u.user + u.system;
};

export async function measureProductPersistence(rows: number): Promise<PersistenceFigures> {
	const dir = mkdtempSync(path.join(tmpdir(), 'scomo-bench-persist-'));
	const ctx = createApp(parseConfig({ SCOMO_DATA_DIR: dir, SCOMO_LOG_LEVEL: 'silent' }), { log: createLogger('silent') });
	try {
		const ma = ctx.services.mas.create('Persist MA', SYSTEM);
		if (!ma.ok) throw new Error(ma.error.message);
		const maId = ma.value.maId;
		const up = ctx.services.packages.upload(maId, SYSTEM, { manifest: BENCH_MANIFEST, bundle: BENCH_BUNDLE, encoding: 'utf8' });
		if (!up.ok) throw new Error(up.error.message);
		const deviceIds: string[] = [];
		const now = Date.now();
		ctx.store.db.transaction((tx) => {
			for (let i = 0; i < FANOUT; i++) {
				const id = uuidv7();
				devicesRepo.insertDevice(tx, {
					id,
					publicKey: randomBytes(32).toString('base64url'),
					keyAlgorithm: 'Ed25519',
					manufacturer: 'Bench',
					model: 'Sim-1',
					baselineBuildId: 'bench-base-1',
					softwareVersion: '1.0.0',
					kind: 'agent',
					createdAt: now
				});
				enrollmentsRepo.insertEnrollment(tx, { deviceId: id, maId, enrolledAt: now });
				deviceIds.push(id);
			}
		});
		const rounds = Math.max(1, Math.round(rows / FANOUT));
		const created: { deviceId: string; correlator: string }[] = [];
		const c0 = cpuUs();
		const t0 = performance.now();
		for (let r = 0; r < rounds; r++) {
			const res = ctx.services.operations.create(maId, SYSTEM, {
				deviceIds,
				operations: [{ kind: r % 2 === 0 ? 'Start' : 'Stop', componentId: BENCH_MANIFEST.id }],
				consentMode: 'silent',
				intent: 'bench persistence'
			});
			if (!res.ok) throw new Error(res.error.message);
			for (const op of res.value.operations) created.push({ deviceId: op.deviceId, correlator: op.correlator });
		}
		const createMs = performance.now() - t0;
		const createCpu = cpuUs() - c0;
		const entry = (operational: 'Running' | 'Stopped') =>
			({ stage: 'deployed', componentId: BENCH_MANIFEST.id, version: BENCH_MANIFEST.version, state: 'Active', operational }) as const;
		const c1 = cpuUs();
		const t1 = performance.now();
		const groups0 = ctx.services.writes.stats();
		for (let from = 0; from < created.length; from += FANOUT) {
			// One fan-out's results arrive in the same turn, as from a fleet's sockets read together.
			const answers = await Promise.all(
				created.slice(from, from + FANOUT).map((op, j) =>
					ctx.services.operations.recordResult(op.deviceId, {
						correlator: op.correlator,
						resultCode: 1200,
						message: 'done',
						componentId: BENCH_MANIFEST.id,
						entry: entry(Math.floor((from + j) / FANOUT) % 2 === 0 ? 'Running' : 'Stopped'),
						completedAt: Date.now()
					})
				)
			);
			for (const r of answers) if (!r.ok || r.value.duplicate) throw new Error(`result not stored: ${JSON.stringify(r)}`);
		}
		const resultMs = performance.now() - t1;
		const resultCpu = cpuUs() - c1;
		const groups1 = ctx.services.writes.stats();
		const n = created.length;
		return {
			rows: n,
			operationRowsPerSecond: (n / createMs) * 1000,
			resultRowsPerSecond: (n / resultMs) * 1000,
			combinedPerSecond: ((2 * n) / (createMs + resultMs)) * 1000,
			cpuUsPerOperationRow: round(createCpu / n, 1),
			cpuUsPerResultRow: round(resultCpu / n, 1),
			resultsPerCommit: round((groups1.writes - groups0.writes) / Math.max(1, groups1.groups - groups0.groups), 1)
		};
	} finally {
		ctx.store.close();
		rmSync(dir, { recursive: true, force: true });
	}
}

/** The raw stack: better-sqlite3 alone, batched inserts of operation-shaped rows. */
export function measureRawInserts(rows: number, perTransaction = 100): number {
	const dir = mkdtempSync(path.join(tmpdir(), 'scomo-bench-raw-'));
	const db = new Database(path.join(dir, 'raw.db'));
	try {
		db.pragma('journal_mode = WAL');
		db.pragma('synchronous = NORMAL');
		db.exec(`create table operations (
			id text primary key, correlator text not null, ma_id text not null, device_id text not null, batch_id text,
			seq integer not null default 0, kind text not null, component_id text, package_version_id text, target_version text,
			consent_mode text not null, intent text not null default '', status text not null, download_status integer,
			result_code integer, result_message text, created_by text not null, created_at integer not null,
			delivered_at integer, completed_at integer, expires_at integer not null);
			create unique index operations_correlator_uq on operations (correlator);
			create index operations_device_status_idx on operations (device_id, status);
			create index operations_ma_created_idx on operations (ma_id, created_at);
			create index operations_batch_idx on operations (batch_id);`);
		const insert = db.prepare(
			`insert into operations (id, correlator, ma_id, device_id, batch_id, seq, kind, component_id, package_version_id, target_version,
			 consent_mode, intent, status, created_by, created_at, expires_at) values (?, ?, ?, ?, ?, 0, 'Start', 'org.scomorelay.bench.clicker', null, null, 'silent', '', 'queued', 'token:x', ?, ?)`
		);
		const maId = uuidv7();
		const batchId = uuidv7();
		const devices = Array.from({ length: FANOUT }, () => uuidv7());
		const many = db.transaction((from: number, count: number) => {
			const now = Date.now();
			for (let i = from; i < from + count; i++) insert.run(uuidv7(), randomBytes(16).toString('base64url'), maId, devices[i % FANOUT], batchId, now, now + 3600_000);
		});
		const t0 = performance.now();
		for (let i = 0; i < rows; i += perTransaction) many(i, Math.min(perTransaction, rows - i));
		return (rows / (performance.now() - t0)) * 1000;
	} finally {
		db.close();
		rmSync(dir, { recursive: true, force: true });
	}
}

export async function persistenceScenario(ctx: BenchContext) {
	const rows = ctx.opts.persistenceRows;
	const p = await measureProductPersistence(rows);
	const raw = ctx.opts.baseline ? measureRawInserts(rows) : NaN;
	const rawSqlite = ctx.opts.baseline ? measureRawSqliteResults(rows, FANOUT) : null;
	const rawPg = ctx.opts.baseline ? await measureRawPostgresResults(rows, FANOUT) : null;
	ctx.details.persistence = { ...p, rawInsertsPerSecond: round(raw, 0), rawSqliteResults: rawSqlite, rawPostgresResults: rawPg };
	const rawRef = Number.isFinite(raw) ? { value: round(raw, 0), what: 'better-sqlite3 inserts, 100 per transaction' } : null;
	ctx.figure({
		scenario: 'persistence',
		key: 'persistence.resultCpu',
		figure: 'CPU per result persisted, SQLite (operations.recordResult, group commit)',
		value: p.cpuUsPerResultRow,
		unit: 'µs',
		goal: { op: '<=', value: 60 },
		raw: rawSqlite ? { value: rawSqlite.cpuUsPerResult, what: 'the same writes, prepared better-sqlite3 statements, 1,000 per transaction' } : null,
		note: `${p.resultsPerCommit} results per commit`
	});
	ctx.figure({
		scenario: 'persistence',
		key: 'persistence.operationRows',
		figure: `operation rows written per second (operations.create, fan-outs of ${FANOUT})`,
		value: round(p.operationRowsPerSecond, 0),
		unit: 'rows/s',
		goal: { op: '>=', value: 25_000 },
		raw: rawRef
	});
	ctx.figure({
		scenario: 'persistence',
		key: 'persistence.resultRows',
		figure: 'results persisted per second, SQLite (operations.recordResult, group commit)',
		value: round(p.resultRowsPerSecond, 0),
		unit: 'results/s',
		goal: { op: '>=', value: 25_000 },
		raw: rawSqlite ? { value: rawSqlite.perSecond, what: 'the same writes, prepared better-sqlite3 statements, 1,000 per transaction' } : null,
		note: 'a result is not a row: it reads the operation, closes it, advances the report sequence, upserts the inventory entry and appends an audit row (an operation row is one insert)'
	});
	if (rawPg) {
		ctx.figure({
			scenario: 'persistence',
			key: 'persistence.resultRowsPostgres',
			figure: 'results persisted per second, PostgreSQL (the product does not serve from PostgreSQL yet: raw floor only)',
			value: NaN,
			unit: 'results/s',
			goal: { op: '>=', value: 10_000 },
			raw: { value: rawPg.perSecond, what: `the same writes as multi-row statements, 1,000 per transaction (client ${rawPg.cpuUsPerResult} µs + PostgreSQL ${rawPg.serverCpuUsPerResult} µs CPU per result)` }
		});
	}
	ctx.check('persistence', 'every operation and result row was written', p.rows >= Math.min(rows, FANOUT), `${p.rows} rows`);
}
