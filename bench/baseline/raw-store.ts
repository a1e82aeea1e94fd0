/**
 * The raw baseline's persistence: better-sqlite3 alone, prepared statements on the product's migrated schema,
 * the writes the product makes (operation rows in the create transaction; per result: read the operation by
 * correlator, close it, read and advance the report sequence, upsert the inventory entry, append the audit
 * row), and a group commit: every result that arrives in one event-loop turn goes into one transaction,
 * flushed on setImmediate, and is acked after that commit.
 */
import type Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';

const COMPONENT = 'org.scomorelay.bench.clicker';
const TERMINAL = `('completed','failed','expired','cancelled')`;

export class RawStore {
	private readonly maId = uuidv7();
	private readonly seqs = new Map<string, number>();
	private pending: { correlator: string; deviceId: string; done: () => void }[] = [];
	private flushScheduled = false;
	private readonly st;

	constructor(private readonly db: Database.Database) {
		const at = Date.now();
		db.prepare(`insert into management_authorities (id, name, settings, created_at) values (?, 'raw', '{}', ?)`).run(this.maId, at);
		this.st = {
			device: db.prepare(
				`insert into devices (id, public_key, key_algorithm, manufacturer, model, baseline_build_id, software_version, kind, created_at)
				 values (?, ?, 'Ed25519', 'Bench', 'Raw', 'bench-base-1', '1.0.0', 'agent', ?)`
			),
			op: db.prepare(
				`insert into operations (id, correlator, ma_id, device_id, batch_id, seq, kind, component_id, consent_mode, intent, status, created_by, created_at, expires_at)
				 values (?, ?, ?, ?, null, 0, 'Start', '${COMPONENT}', 'silent', 'raw', 'queued', 'token:raw', ?, ?)`
			),
			read: db.prepare(`select id, ma_id from operations where correlator = ?`),
			close: db.prepare(
				`update operations set status = 'completed', result_code = 1200, result_message = 'done', completed_at = ?, delivered_at = coalesce(delivered_at, ?)
				 where id = ? and status not in ${TERMINAL}`
			),
			seqOf: db.prepare(`select seq from inventory_report_seqs where device_id = ? and ma_id = ? and component_id = ?`),
			setSeq: db.prepare(
				`insert into inventory_report_seqs (device_id, ma_id, component_id, seq) values (?, ?, ?, ?)
				 on conflict (device_id, ma_id, component_id) do update set seq = excluded.seq`
			),
			upsert: db.prepare(
				`insert into inventory (device_id, component_id, ma_id, stage, version, deployed_state, operational_state, updated_at)
				 values (?, ?, ?, 'deployed', '1.0.0', 'Active', 'Running', ?)
				 on conflict (device_id, ma_id, component_id) do update set stage = excluded.stage, version = excluded.version,
				 deployed_state = excluded.deployed_state, operational_state = excluded.operational_state, updated_at = excluded.updated_at`
			),
			audit: db.prepare(
				`insert into audit_events (id, ma_id, actor_type, actor_id, action, target_type, target_id, outcome, detail, at)
				 values (?, ?, 'device', ?, 'operation.result', 'operation', ?, '1200', ?, ?)`
			)
		};
	}

	addDevice(id: string, publicKey: string): void {
		this.st.device.run(id, publicKey, Date.now());
	}

	/** The operation rows of one batch, in one transaction (as the product's create does). */
	insertOperations(_batchId: string, ops: { correlator: string; deviceId: string }[]): void {
		const at = Date.now();
		this.db.transaction(() => {
			for (const o of ops) this.st.op.run(uuidv7(), o.correlator, this.maId, o.deviceId, at, at + 3_600_000);
		})();
	}

	/** Queues a result for this turn's group commit; `done` runs after the commit. */
	recordResult(correlator: string, deviceId: string, done: () => void): void {
		this.pending.push({ correlator, deviceId, done });
		if (this.flushScheduled) return;
		this.flushScheduled = true;
		setImmediate(() => this.flush());
	}

	private flush(): void {
		const batch = this.pending;
		this.pending = [];
		this.flushScheduled = false;
		const at = Date.now();
		this.db.transaction(() => {
			for (const r of batch) {
				const row = this.st.read.get(r.correlator) as { id: string; ma_id: string } | undefined;
				if (!row || this.st.close.run(at, at, row.id).changes === 0) continue;
				const seq = (this.seqs.get(r.deviceId) ?? 0) + 1;
				this.seqs.set(r.deviceId, seq);
				const applied = this.st.seqOf.get(r.deviceId, row.ma_id, COMPONENT) as { seq: number } | undefined;
				if (applied && applied.seq >= seq) continue;
				this.st.setSeq.run(r.deviceId, row.ma_id, COMPONENT, seq);
				this.st.upsert.run(r.deviceId, COMPONENT, row.ma_id, at);
				this.st.audit.run(uuidv7(), row.ma_id, r.deviceId, row.id, JSON.stringify({ correlator: r.correlator, kind: 'Start', componentId: COMPONENT, message: 'done' }), at);
			}
		})();
		for (const r of batch) r.done();
	}
}
