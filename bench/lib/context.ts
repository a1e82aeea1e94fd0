/**
 * What the scenarios share: the running server, the simulators and their devices, the REST client, a
 * read-only view of the server's database (to check what was persisted), and the figures and checks
 * collected so far.
 */
import Database from 'better-sqlite3';
import { ApiClient } from '../../tests/support/api-client';
import { postJson, type Jar } from '../../tests/support/admin-http';
import type { SoftAuthenticator } from '../../tests/support/soft-authenticator';
import type { OpRecord } from '../simulator/record';
import type { ProgressReport, TakeReport } from '../simulator/protocol';
import type { WireCount, WireReport } from '../simulator/wire-tap';
import { cpuSecondsOf } from './server';
import type { BenchOptions } from './args';
import type { BenchServer } from './server';
import type { Simulator } from './sim-pool';
import { sleep, wallNow } from './stats';
import { BENCH_MANIFEST } from './setup';

export type Goal = { op: '<=' | '>='; value: number };

export type Figure = {
	scenario: string;
	key: string;
	figure: string;
	value: number;
	unit: string;
	goal: Goal | null;
	/** The same figure for the raw stack (plain socket.io / better-sqlite3 / library call), when there is one. */
	raw: { value: number; what: string } | null;
	note?: string;
};

export type Check = { scenario: string; name: string; ok: boolean; detail: string };

export type Kind = 'Start' | 'Stop';

/** An operation as the runner created it: when its POST left, and when it was due (open-loop schedule). */
export type Created = { deviceId: string; createdAt: number; dueAt: number; batchId: string };

/** What went over the wire per operation in a scenario (wire-tap.ts counts, summed over the simulators). */
export type WirePerOp = { ops: number; commandSetBytes: number; received: Record<string, number>; sent: Record<string, number> };

/** CPU seconds the server and the simulators used in a measured window. */
export type CpuUse = { serverS: number; simulatorsS: number };

export class BenchContext {
	readonly figures: Figure[] = [];
	readonly checks: Check[] = [];
	readonly details: Record<string, unknown> = {};
	/** CPU seconds per step: server, simulators, runner (where the two cores went). */
	readonly cpu: Record<string, { wallS: number; serverCpuS: number; simulatorsCpuS: number; runnerCpuS: number }> = {};
	/** What each device's component will be after its last operation, so the next one succeeds. */
	readonly running = new Map<string, boolean>();
	server: BenchServer | null = null;
	api: ApiClient | null = null;
	db: Database.Database | null = null;
	sims: Simulator[] = [];
	deviceIds: string[] = [];
	/** Per operation scenario: messages and bytes per operation, for the like-for-like raw baseline. */
	readonly wire: Record<string, WirePerOp> = {};
	/** Operations whose device verified the MA's signature, of all checked (the run's "signed and verified" label). */
	readonly signatures = { verified: 0, of: 0 };
	/** Batches the server holds for a passkey approval (high-risk: more devices than the MA's threshold). */
	readonly pendingBatches = new Set<string>();
	/** The MA owner, signed in over HTTP with its passkey (its session cookie in the jar). */
	owner: { auth: SoftAuthenticator; jar: Jar } | null = null;

	constructor(
		readonly opts: BenchOptions,
		readonly deadline: number
	) {}

	figure(f: Figure): void {
		this.figures.push(f);
	}

	check(scenario: string, name: string, ok: boolean, detail = ''): boolean {
		this.checks.push({ scenario, name, ok, detail });
		if (!ok) console.error(`  ✗ ${scenario}: ${name} ${detail}`);
		return ok;
	}

	timeLeft(): number {
		return this.deadline - Date.now();
	}

	/** The kind that succeeds next on this device (Start when stopped, Stop when running), and records it. */
	nextKind(deviceId: string): Kind {
		const kind: Kind = this.running.get(deviceId) ? 'Stop' : 'Start';
		this.running.set(deviceId, kind === 'Start');
		return kind;
	}

	/**
	 * Creates operations over REST, one POST per kind (a POST carries the same steps for all its devices).
	 * Returns correlator → { deviceId, createdAt, dueAt } with createdAt taken just before the POST left and
	 * dueAt the time the operation was scheduled for (`dueAt` by device; createdAt when not given).
	 */
	async createOps(deviceIds: readonly string[], intent: string, dueAt?: ReadonlyMap<string, number>): Promise<Map<string, Created>> {
		const byKind = new Map<Kind, string[]>();
		for (const id of deviceIds) {
			const k = this.nextKind(id);
			byKind.set(k, [...(byKind.get(k) ?? []), id]);
		}
		const out = new Map<string, Created>();
		await Promise.all(
			[...byKind].map(async ([kind, ids]) => {
				const body = { deviceIds: ids, operations: [{ kind, componentId: BENCH_MANIFEST.id }], consentMode: 'silent' as const, intent };
				let createdAt = wallNow();
				let r;
				try {
					r = await this.api!.createOperations(body);
				} catch (e) {
					// A keep-alive connection the server closed while idle ("other side closed"): the request never
					// reached it, so sending it again creates nothing twice.
					const code = (e as { cause?: { code?: string } }).cause?.code;
					if (code !== 'UND_ERR_SOCKET' && code !== 'ECONNRESET') throw new Error(`POST failed: ${String(e)} (${code ?? 'no code'})`);
					createdAt = wallNow();
					r = await this.api!.createOperations(body);
				}
				if (r.status !== 202) {
					// Refused: nothing was created, so these devices keep their state.
					for (const id of ids) this.running.set(id, kind !== 'Start');
					throw new Error(`POST /api/v1/operations answered ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`);
				}
				if ((r.body as { approval?: string }).approval === 'pending') this.pendingBatches.add(r.body.batchId);
				for (const op of r.body.operations)
					out.set(op.correlator, { deviceId: op.deviceId, createdAt, dueAt: dueAt?.get(op.deviceId) ?? createdAt, batchId: r.body.batchId });
			})
		);
		return out;
	}

	/**
	 * The owner approves every pending high-risk batch as the console does: POST the batch for WebAuthn
	 * options (the challenge is the signed header's digest), the authenticator's assertion, POST it back;
	 * the server verifies it, stores it with the batch and relays. Returns how many were approved.
	 */
	async approvePending(): Promise<number> {
		let approved = 0;
		for (const batchId of [...this.pendingBatches]) {
			if (!this.owner || !this.server) throw new Error('a batch awaits approval but no owner is signed in');
			const base = this.server.url;
			const { auth, jar } = this.owner;
			const o = await postJson(base, '/auth/operation-assertion/options', { batchId }, jar);
			if (!o.ok) throw new Error(`approval options answered ${o.status}: ${await o.text()}`);
			const response = auth.assert((await o.json()) as never);
			const v = await postJson(base, '/auth/operation-assertion/verify', { batchId, response }, jar);
			if (!v.ok) throw new Error(`approval answered ${v.status}: ${await v.text()}`);
			this.pendingBatches.delete(batchId);
			approved++;
		}
		return approved;
	}

	/**
	 * Clears every simulator's observations and learns which devices run the component now (start of a
	 * scenario), so the next Start/Stop of each device succeeds whatever happened before.
	 */
	async resetObservations(): Promise<void> {
		await Promise.all(this.sims.map((s) => s.request<TakeReport>({ cmd: 'take' })));
		const reports = await Promise.all(this.sims.map((s) => s.request<{ running: string[] }>({ cmd: 'running' })));
		const running = new Set(reports.flatMap((r) => r.running));
		for (const id of this.deviceIds) this.running.set(id, running.has(id));
	}

	/** Waits until every one of these correlators has an acked result, or the timeout; returns how many have. */
	async waitForAcks(correlators: Iterable<string>, timeoutMs: number): Promise<number> {
		const list = [...correlators];
		const expected = list.length;
		await Promise.all(this.sims.map((s) => s.request({ cmd: 'watch', correlators: list })));
		const until = Date.now() + Math.min(timeoutMs, Math.max(1000, this.timeLeft() - 30_000));
		for (;;) {
			const reports = await Promise.all(this.sims.map((s) => s.request<ProgressReport>({ cmd: 'progress' })));
			const acked = reports.reduce((a, r) => a + r.acked, 0);
			if (acked >= expected || Date.now() > until) return acked;
			await sleep(expected > 1000 ? 100 : 20);
		}
	}

	/** Every simulator's observations since the last reset, merged by correlator. */
	async collect(): Promise<{ ops: Map<string, OpRecord>; errors: string[]; wire: WireReport }> {
		const reports = await Promise.all(this.sims.map((s) => s.request<TakeReport>({ cmd: 'take' })));
		const ops = new Map<string, OpRecord>();
		const errors: string[] = [];
		const wire: WireReport = { received: {}, sent: {} };
		const add = (into: Record<string, WireCount>, from: Record<string, WireCount>) => {
			for (const [k, v] of Object.entries(from)) {
				const c = (into[k] ??= { n: 0, bytes: 0 });
				c.n += v.n;
				c.bytes += v.bytes;
			}
		};
		for (const r of reports) {
			for (const [c, rec] of r.ops) ops.set(c, rec);
			errors.push(...r.errors);
			add(wire.received, r.wire.received);
			add(wire.sent, r.wire.sent);
		}
		return { ops, errors, wire };
	}

	/** Messages per operation each way and the mean command-set size, kept for the raw baseline of `scenario`. */
	recordWire(scenario: string, wire: WireReport, ops: number): WirePerOp {
		const per = (m: Record<string, WireCount>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Math.round((v.n / Math.max(1, ops)) * 100) / 100]));
		const sets = wire.received.commands ?? { n: 0, bytes: 0 };
		const w: WirePerOp = { ops, commandSetBytes: Math.round(sets.bytes / Math.max(1, sets.n)), received: per(wire.received), sent: per(wire.sent) };
		this.wire[scenario] = w;
		return w;
	}

	/** Starts a CPU meter over the server and the simulators; call the result to read what they used since. */
	cpuMeter(): () => CpuUse {
		const read = () => ({
			server: this.server ? cpuSecondsOf(this.server.pid) : NaN,
			sims: this.sims.reduce((a, s) => a + (s.child.pid ? cpuSecondsOf(s.child.pid) : 0), 0)
		});
		const c0 = read();
		return () => {
			const c1 = read();
			return { serverS: c1.server - c0.server, simulatorsS: c1.sims - c0.sims };
		};
	}

	/**
	 * The first figure of an operation scenario: server CPU per operation (steady on a busy machine), with the
	 * wall time and the simulators' CPU beside it, so a reader sees when the devices starved the server.
	 */
	cpuFigure(scenario: string, what: string, ops: number, cpu: CpuUse, wallMs: number, goalMs: number | null): void {
		const perOp = (s: number) => Math.round(((s * 1000) / Math.max(1, ops)) * 1000) / 1000;
		this.figure({
			scenario,
			key: `${scenario}.serverCpuMsPerOp`,
			figure: `server CPU per ${what}`,
			value: perOp(cpu.serverS),
			unit: 'ms',
			goal: goalMs === null ? null : { op: '<=', value: goalMs },
			raw: null,
			note: `wall ${Math.round(wallMs)} ms for ${ops}; server ${cpu.serverS.toFixed(2)} s CPU; simulators ${cpu.simulatorsS.toFixed(2)} s CPU (${perOp(cpu.simulatorsS)} ms per ${what})`
		});
	}

	/**
	 * The correctness checks every operation scenario makes: each created operation arrived once as new work,
	 * ran once, its result was acked, and the server persisted it exactly once (status completed, one audit row).
	 */
	verifyOps(scenario: string, created: Map<string, { deviceId: string; batchId: string }>, ops: Map<string, OpRecord>): void {
		let verified = 0;
		let missing = 0;
		let notOnce = 0;
		let notExecutedOnce = 0;
		let notAcked = 0;
		let failedCodes = 0;
		for (const [c, meta] of created) {
			const r = ops.get(c);
			if (!r || r.deviceId !== meta.deviceId) {
				missing++;
				continue;
			}
			if (r.fresh !== 1) notOnce++;
			if (r.executed !== 1) notExecutedOnce++;
			if (r.ackedAt === null) notAcked++;
			if (r.resultCode !== 1200) failedCodes++;
			if (r.verified >= 1) verified++;
		}
		const n = created.size;
		this.check(scenario, 'every operation reached its device', missing === 0, `${missing}/${n} never arrived`);
		this.check(scenario, 'each operation arrived once as new work (dedupe by correlator)', notOnce === 0, `${notOnce}/${n} not exactly once`);
		this.check(scenario, 'each operation ran exactly once', notExecutedOnce === 0, `${notExecutedOnce}/${n} not exactly once`);
		this.check(scenario, 'each result was acked by the server', notAcked === 0, `${notAcked}/${n} unacked`);
		this.check(scenario, 'each operation succeeded (1200)', failedCodes === 0, `${failedCodes}/${n} other codes`);
		// Counted, not asserted: the label says what this run's devices verified.
		this.signatures.verified += verified;
		this.signatures.of += n;
		// The server's side: persisted once, completed, nothing lost.
		const batches = [...new Set([...created.values()].map((m) => m.batchId))];
		const db = this.db!;
		let completed = 0;
		let total = 0;
		let doubleAudit = 0;
		const q = db.prepare(`select status, count(*) as n from operations where batch_id = ? group by status`);
		const a = db.prepare(
			`select count(*) as n from (select target_id from audit_events where action = 'operation.result' and target_id in (select id from operations where batch_id = ?) group by target_id having count(*) > 1)`
		);
		for (const b of batches) {
			for (const row of q.all(b) as { status: string; n: number }[]) {
				total += row.n;
				if (row.status === 'completed') completed += row.n;
			}
			doubleAudit += (a.get(b) as { n: number }).n;
		}
		this.check(scenario, 'server: every operation persisted as completed', completed === n && total === n, `${completed} completed of ${total} rows, ${n} created`);
		this.check(scenario, 'server: each result persisted once (one audit row per operation)', doubleAudit === 0, `${doubleAudit} with more than one`);
	}

	async onlineOnServer(): Promise<number> {
		// The list is paged: the filter counts online devices on the server, whatever the fleet's size. A keep-alive
		// connection the server closed while idle fails once without reaching the server: a read, so ask again.
		const r = await this.api!.listDevices({ filter: 'online == true', limit: 1 }).catch(() => this.api!.listDevices({ filter: 'online == true', limit: 1 }));
		if (r.status !== 200) throw new Error(`GET /api/v1/devices answered ${r.status}`);
		return r.body.total;
	}
}
