/**
 * The raw floor of persisting results, like with like: the writes the product makes for one result (read the
 * operation by correlator, close it if still open, read and advance the component's report sequence, upsert
 * the inventory entry, append the audit row), issued with the driver alone on the product's own migrated
 * schema (same tables, keys and indexes), 1,000 results per transaction.
 * - SQLite: prepared better-sqlite3 statements, row by row (the cheapest way on SQLite).
 * - PostgreSQL: one multi-row statement per write kind (unnest / VALUES lists), the cheapest way there; the
 *   PostgreSQL backend's own CPU is read from /proc, since that work happens outside this process.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import postgres from 'postgres';
import { openStore } from '../../src/lib/server/db/open';
import { openPostgresStore } from '../../src/lib/server/db/postgres/open';
import { createTestDatabase, resolvePostgresServer } from '../../tests/support/postgres';
import { round } from '../lib/stats';

export type RawResultFigures = { results: number; perSecond: number; cpuUsPerResult: number; serverCpuUsPerResult?: number };

const COMPONENT = 'org.scomorelay.bench.clicker';
const TERMINAL = `('completed','failed','expired','cancelled')`;
const cpuUs = () => {
	const u = process.cpuUsage();
	return u.user + u.system;
};

type Seed = { maId: string; devices: string[]; ops: { id: string; correlator: string; deviceId: string }[] };

function seed(results: number, fanout: number): Seed {
	const maId = uuidv7();
	const devices = Array.from({ length: fanout }, () => uuidv7());
	const ops = Array.from({ length: results }, (_, i) => ({ id: uuidv7(), correlator: randomBytes(16).toString('base64url'), deviceId: devices[i % fanout]! }));
	return { maId, devices, ops };
}

const opRow = (s: Seed, o: Seed['ops'][number], now: number) => ({
	id: o.id,
	correlator: o.correlator,
	ma_id: s.maId,
	device_id: o.deviceId,
	seq: 0,
	kind: 'Start',
	component_id: COMPONENT,
	consent_mode: 'silent',
	intent: '',
	status: 'delivered',
	created_by: 'token:bench',
	created_at: now,
	expires_at: now + 3_600_000
});

const deviceRow = (id: string, now: number) => ({
	id,
	public_key: randomBytes(32).toString('base64url'),
	key_algorithm: 'Ed25519',
	manufacturer: 'Bench',
	model: 'Sim-1',
	baseline_build_id: 'bench-base-1',
	software_version: '1.0.0',
	kind: 'agent',
	created_at: now
});

export function measureRawSqliteResults(results: number, fanout: number): RawResultFigures {
	const dir = mkdtempSync(path.join(tmpdir(), 'scomo-bench-rawres-'));
	const store = openStore(path.join(dir, 'raw.db'));
	const db = store.sqlite;
	try {
		const s = seed(results, fanout);
		const now = Date.now();
		db.transaction(() => {
			db.prepare(`insert into management_authorities (id, name, settings, created_at) values (?, 'raw', '{}', ?)`).run(s.maId, now);
			const dev = db.prepare(
				`insert into devices (id, public_key, key_algorithm, manufacturer, model, baseline_build_id, software_version, kind, created_at)
				 values (@id, @public_key, @key_algorithm, @manufacturer, @model, @baseline_build_id, @software_version, @kind, @created_at)`
			);
			for (const d of s.devices) dev.run(deviceRow(d, now));
			const op = db.prepare(
				`insert into operations (id, correlator, ma_id, device_id, seq, kind, component_id, consent_mode, intent, status, created_by, created_at, expires_at)
				 values (@id, @correlator, @ma_id, @device_id, @seq, @kind, @component_id, @consent_mode, @intent, @status, @created_by, @created_at, @expires_at)`
			);
			for (const o of s.ops) op.run(opRow(s, o, now));
		})();
		const read = db.prepare(`select * from operations where correlator = ?`);
		const close = db.prepare(
			`update operations set status = 'completed', result_code = 1200, result_message = 'done', completed_at = ?, delivered_at = coalesce(delivered_at, ?)
			 where id = ? and status not in ${TERMINAL}`
		);
		const seqOf = db.prepare(`select seq from inventory_report_seqs where device_id = ? and ma_id = ? and component_id = ?`);
		const setSeq = db.prepare(
			`insert into inventory_report_seqs (device_id, ma_id, component_id, seq) values (?, ?, ?, ?)
			 on conflict (device_id, ma_id, component_id) do update set seq = excluded.seq`
		);
		const upsert = db.prepare(
			`insert into inventory (device_id, component_id, ma_id, stage, version, deployed_state, operational_state, updated_at)
			 values (?, ?, ?, 'deployed', '1.0.0', 'Active', ?, ?)
			 on conflict (device_id, ma_id, component_id) do update set stage = excluded.stage, version = excluded.version,
			 deployed_state = excluded.deployed_state, operational_state = excluded.operational_state, updated_at = excluded.updated_at`
		);
		const auditRow = db.prepare(
			`insert into audit_events (id, ma_id, actor_type, actor_id, action, target_type, target_id, outcome, detail, at)
			 values (?, ?, 'device', ?, 'operation.result', 'operation', ?, '1200', ?, ?)`
		);
		const chunk = db.transaction((from: number) => {
			const at = Date.now();
			for (let i = from; i < Math.min(from + fanout, s.ops.length); i++) {
				const o = s.ops[i]!;
				const row = read.get(o.correlator) as { id: string; ma_id: string } | undefined;
				if (!row || close.run(at, at, row.id).changes === 0) throw new Error('raw result not applied');
				const seq = i + 1;
				const applied = seqOf.get(o.deviceId, row.ma_id, COMPONENT) as { seq: number } | undefined;
				if (applied && applied.seq >= seq) continue;
				setSeq.run(o.deviceId, row.ma_id, COMPONENT, seq);
				upsert.run(o.deviceId, COMPONENT, row.ma_id, Math.floor(i / fanout) % 2 === 0 ? 'Running' : 'Stopped', at);
				auditRow.run(uuidv7(), row.ma_id, o.deviceId, row.id, JSON.stringify({ correlator: o.correlator, kind: 'Start', componentId: COMPONENT, message: 'done' }), at);
			}
		});
		const c0 = cpuUs();
		const t0 = performance.now();
		for (let from = 0; from < s.ops.length; from += fanout) chunk(from);
		const ms = performance.now() - t0;
		return { results: s.ops.length, perSecond: round((s.ops.length / ms) * 1000, 0), cpuUsPerResult: round((cpuUs() - c0) / s.ops.length, 1) };
	} finally {
		store.close();
		rmSync(dir, { recursive: true, force: true });
	}
}

/** CPU microseconds a local process has used, from /proc (the PostgreSQL backend serving this connection). */
function processCpuUs(pid: number): number | null {
	try {
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
		// utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
		return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100;
	} catch {
		return null;
	}
}

/** null when no PostgreSQL answers and none can be started (the figure is then reported as missing). */
export async function measureRawPostgresResults(results: number, fanout: number): Promise<RawResultFigures | null> {
	const server = await resolvePostgresServer().catch(() => null);
	if (!server) return null;
	const database = await createTestDatabase(server.adminUrl);
	try {
		await (await openPostgresStore(database.url)).close();
		const sql = postgres(database.url, { max: 1, onnotice: () => {} });
		try {
			const s = seed(results, fanout);
			const now = Date.now();
			await sql`insert into management_authorities (id, name, settings, created_at) values (${s.maId}, 'raw', '{}', ${now})`;
			await sql`insert into devices ${sql(s.devices.map((d) => deviceRow(d, now)))}`;
			for (let from = 0; from < s.ops.length; from += 1000) await sql`insert into operations ${sql(s.ops.slice(from, from + 1000).map((o) => opRow(s, o, now)))}`;
			const [{ pid }] = (await sql<{ pid: number }[]>`select pg_backend_pid() as pid`) as unknown as [{ pid: number }];
			const server0 = processCpuUs(pid);
			const c0 = cpuUs();
			const t0 = performance.now();
			for (let from = 0; from < s.ops.length; from += fanout) {
				const part = s.ops.slice(from, from + fanout);
				const at = Date.now();
				await sql.begin(async (tx) => {
					const rows = await tx<{ id: string; correlator: string; device_id: string; ma_id: string }[]>`
						select id, correlator, device_id, ma_id from operations where correlator = any(${part.map((o) => o.correlator)})`;
					const closed = await tx`
						update operations o set status = 'completed', result_code = 1200, result_message = 'done', completed_at = ${at},
							delivered_at = coalesce(o.delivered_at, ${at})
						from unnest(${rows.map((r) => r.id)}::text[]) as v(id)
						where o.id = v.id and o.status not in ${sql.unsafe(TERMINAL)}`;
					if (closed.count !== part.length) throw new Error('raw result not applied');
					const seq = from / fanout + 1;
					const devices = rows.map((r) => r.device_id);
					await tx`select device_id, seq from inventory_report_seqs where ma_id = ${s.maId} and component_id = ${COMPONENT} and device_id = any(${devices})`;
					await tx`insert into inventory_report_seqs ${tx(devices.map((d) => ({ device_id: d, ma_id: s.maId, component_id: COMPONENT, seq })))}
						on conflict (device_id, ma_id, component_id) do update set seq = excluded.seq`;
					const operational = (from / fanout) % 2 === 0 ? 'Running' : 'Stopped';
					await tx`insert into inventory ${tx(
						rows.map((r) => ({ device_id: r.device_id, component_id: COMPONENT, ma_id: r.ma_id, stage: 'deployed', version: '1.0.0', deployed_state: 'Active', operational_state: operational, updated_at: at }))
					)} on conflict (device_id, ma_id, component_id) do update set stage = excluded.stage, version = excluded.version,
						deployed_state = excluded.deployed_state, operational_state = excluded.operational_state, updated_at = excluded.updated_at`;
					await tx`insert into audit_events ${tx(
						rows.map((r) => ({ id: uuidv7(), ma_id: r.ma_id, actor_type: 'device', actor_id: r.device_id, action: 'operation.result', target_type: 'operation', target_id: r.id, outcome: '1200', detail: JSON.stringify({ correlator: r.correlator, kind: 'Start', componentId: COMPONENT, message: 'done' }), at }))
					)}`;
				});
			}
			const ms = performance.now() - t0;
			const clientCpu = cpuUs() - c0;
			const server1 = processCpuUs(pid);
			const n = s.ops.length;
			return {
				results: n,
				perSecond: round((n / ms) * 1000, 0),
				cpuUsPerResult: round(clientCpu / n, 1),
				...(server0 !== null && server1 !== null ? { serverCpuUsPerResult: round((server1 - server0) / n, 1) } : {})
			};
		} finally {
			await sql.end({ timeout: 2 });
		}
	} finally {
		await database.drop();
		await server.stop();
	}
}
