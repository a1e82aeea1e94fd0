/**
 * The operation loop on the server: create (authorised by the caller, checked here against ADC-3),
 * persist BEFORE relaying, relay or keep queued, record acks, progress and results idempotently by
 * correlator, expire what is never answered (1457), cancel what has not started (1462).
 */
import {
	OPERATION_INFO,
	RC,
	isSuccessCode,
	isTerminalStatus,
	ok,
	type OperationStatus
} from '../../core';
import type { CreateOperationsBody, OperationResultMsg, ProgressMsg } from '../../contract';
import type { AdminProgressEvent } from '../../contract/admin-protocol';
import { newId, newSecret } from '../ids';
import * as opsRepo from '../db/repos/operations';
import * as batchesRepo from '../db/repos/batches';
import * as devicesRepo from '../db/repos/devices';
import * as masRepo from '../db/repos/mas';
import * as pkgs from '../db/repos/packages';
import type { OperationRow } from '../db/repos/operations';
import { audit } from './audit';
import { buildCommandSets, groupByBatch } from './command-set';
import { fail, type Outcome } from './errors';
import { applyInventoryEntry, replaceMaInventory } from './inventory';
import { isCompatible } from './catalog';
import { parseMaSettings } from './ma-settings';
import type { PackageService } from './packages';
import type { SigningService } from '../signing';
import { operationView, type OperationView } from './views';
import type { AuditActor, ServiceDeps } from './deps';
import type { GroupCommit } from '../db/group-commit';

/**
 * A device the server already expects to refuse an operation (its baseline is not one the package names):
 * 1413 in advance. The operation is still created and sent: the device is the final judge (SCOMO-HLFR-9).
 */
export type OperationWarning = { deviceId: string; correlator: string; resultCode: number; message: string };

/**
 * approval 'pending': a high-risk batch, persisted but relayed only once an administrator's passkey approves it.
 * warnings: one per operation a device will most likely refuse (empty when none).
 */
export type CreatedOperations = {
	batchId: string;
	operations: OperationView[];
	warnings: OperationWarning[];
	approval?: 'not-required' | 'pending';
};
export type OperationListFilter = { deviceId?: string; status?: string; batchId?: string; limit?: number };

/** How many operations' latest progress the server keeps in memory, and for how long. */
const PROGRESS_KEPT = 5000;
const PROGRESS_KEPT_MS = 10 * 60_000;

/** Correlators are random, so a device cannot guess another device's (and they are unique by index). */
const newCorrelator = () => newSecret(16);

export function createOperationService(deps: ServiceDeps, packages: PackageService, writes: GroupCommit, signing?: SigningService) {
	const { db, log } = deps;

	const emitUpdated = (rows: readonly OperationRow[]) => {
		for (const r of rows) deps.events.emit('operation:updated', { ...operationView(r), maId: r.maId });
	};

	/** Creates one batch of operations for one or many devices; rows are committed before any relay. */
	function create(maId: string, actor: AuditActor, body: CreateOperationsBody): Outcome<CreatedOperations> {
		const ma = masRepo.getMa(db, maId);
		if (!ma) return fail('not_found', 'MA not found');
		const settings = parseMaSettings(ma.settings);
		if (!settings.allowedConsentModes.includes(body.consentMode)) {
			return fail('forbidden', `consent mode ${body.consentMode} is not allowed by this MA's settings (allowed: ${settings.allowedConsentModes.join(', ')})`);
		}

		// Resolve every step once: the component must be this MA's (ADC-3), the version must exist.
		const steps: {
			kind: string;
			componentId: string | null;
			versionId: string | null;
			version: string | null;
			baselines?: string[];
		}[] = [];
		for (const [i, s] of body.operations.entries()) {
			const info = OPERATION_INFO[s.kind];
			if (!info.targetsComponent) {
				steps.push({ kind: s.kind, componentId: null, versionId: null, version: null });
				continue;
			}
			if (!s.componentId) return fail('invalid_request', `${s.kind} needs a componentId`, [{ path: `operations.${i}.componentId`, message: 'required' }]);
			if (info.needsPackage) {
				const r = packages.resolveVersion(maId, s.componentId, s.version);
				if (!r.ok) return r;
				steps.push({
					kind: s.kind,
					componentId: s.componentId,
					versionId: r.value.version.id,
					version: r.value.version.version,
					baselines: JSON.parse(r.value.version.compatibleBaselines) as string[]
				});
			} else {
				const p = pkgs.getPackageOfMa(db, maId, s.componentId);
				if (!p) return fail('not_found', `component ${s.componentId} not found`);
				steps.push({ kind: s.kind, componentId: s.componentId, versionId: null, version: s.version ?? null });
			}
		}

		// Only devices enrolled with this MA exist for it (ADC-3): anything else is not_found.
		const deviceIds = [...new Set(body.deviceIds)];
		const enrolled = devicesRepo.enrolledDeviceIds(db, maId, deviceIds);
		const missing = deviceIds.find((id) => !enrolled.has(id));
		if (missing) return fail('not_found', `device ${missing} not found`);

		const now = deps.clock();
		const expiresAt = now + deps.config().operationTtlMs;
		const batchId = newId();
		const rows: OperationRow[] = [];
		for (const deviceId of deviceIds) {
			steps.forEach((s, seq) =>
				rows.push({
					id: newId(),
					correlator: newCorrelator(),
					maId,
					deviceId,
					batchId,
					seq,
					kind: s.kind,
					componentId: s.componentId,
					packageVersionId: s.versionId,
					targetVersion: s.version,
					consentMode: body.consentMode,
					intent: body.intent,
					status: 'queued',
					downloadStatus: null,
					resultCode: null,
					resultMessage: null,
					createdBy: `${actor.type}:${actor.id}`,
					createdAt: now,
					deliveredAt: null,
					completedAt: null,
					expiresAt,
					cancelRequestedAt: null
				})
			);
		}
		// Persist before relay: once this commits, a crash can no longer lose the operation.
		db.transaction((tx) => {
			batchesRepo.insertBatch(tx, {
				id: batchId,
				maId,
				consentMode: body.consentMode,
				intent: body.intent,
				createdBy: `${actor.type}:${actor.id}`,
				createdAt: now
			});
			opsRepo.insertOperations(tx, rows);
			audit(tx, now, {
				maId,
				actor,
				action: 'operations.create',
				targetType: 'batch',
				targetId: batchId,
				outcome: 'ok',
				detail: { devices: deviceIds.length, steps: steps.map((s) => `${s.kind}${s.componentId ? ` ${s.componentId}` : ''}${s.version ? `@${s.version}` : ''}`), consentMode: body.consentMode }
			});
		});
		emitUpdated(rows);
		const warnings = baselineWarnings(deviceIds, steps, rows);
		// SCOMO-SEC-01: one signature for the whole fan-out; a high-risk batch waits for a passkey (SEC-02).
		const approval = signing?.prepareBatch(batchId, rows)?.approval ?? 'not-required';
		if (approval !== 'pending') void relayNew(deviceIds, rows);
		return ok({ batchId, operations: rows.map(operationView), warnings, ...(signing ? { approval: approval === 'pending' ? ('pending' as const) : ('not-required' as const) } : {}) });
	}

	/**
	 * Early 1413: the server knows each device's enrolled baseline, so it can say at once which devices a
	 * package excludes. Only a warning: the device still checks, and its answer is the result.
	 */
	function baselineWarnings(
		deviceIds: readonly string[],
		steps: readonly { kind: string; componentId: string | null; version: string | null; baselines?: string[] }[],
		rows: readonly OperationRow[]
	): OperationWarning[] {
		const picky = steps.map((s, seq) => ({ ...s, seq })).filter((s) => s.baselines !== undefined);
		if (picky.length === 0) return [];
		const baselines = devicesRepo.baselinesOf(db, deviceIds);
		const correlatorOf = new Map(rows.map((r) => [`${r.deviceId} ${r.seq}`, r.correlator]));
		const warnings: OperationWarning[] = [];
		for (const deviceId of deviceIds) {
			const baseline = baselines.get(deviceId) ?? '';
			for (const s of picky) {
				if (isCompatible(s.baselines!, baseline)) continue;
				warnings.push({
					deviceId,
					correlator: correlatorOf.get(`${deviceId} ${s.seq}`)!,
					resultCode: RC.UnsupportedEnvironment,
					message: `${s.componentId} ${s.version} is built for ${s.baselines!.join(', ')}; this device runs ${baseline}, so it will most likely refuse it (1413).`
				});
			}
		}
		return warnings;
	}

	/** Relays freshly created operations to the devices that are online; the others get them on connect. */
	async function relayNew(deviceIds: readonly string[], rows: readonly OperationRow[]): Promise<void> {
		const relay = deps.relay();
		const online = deviceIds.filter((id) => relay.isOnline(id));
		if (online.length === 0) return;
		// One pass and one lookup of versions and MAs for the whole fan-out (bench/: per device, this was
		// O(devices²) filtering and two queries per device).
		const byDevice = new Map<string, OperationRow[]>();
		for (const r of rows) {
			const list = byDevice.get(r.deviceId);
			if (list) list.push(r);
			else byDevice.set(r.deviceId, [r]);
		}
		const refs = lookups(rows);
		await Promise.all(online.map((id) => deliver(id, byDevice.get(id) ?? [], refs)));
	}

	/** The package versions and MAs a list of operations refers to. */
	function lookups(ops: readonly OperationRow[]) {
		const versionIds = [...new Set(ops.map((o) => o.packageVersionId).filter((x): x is string => x !== null))];
		return {
			versions: new Map(pkgs.getPackageVersionsByIds(db, versionIds).map((v) => [v.id, v])),
			mas: new Map(masRepo.getMas(db, [...new Set(ops.map((o) => o.maId))]).map((m) => [m.id, m]))
		};
	}

	/** After a passkey approved a high-risk batch (SCOMO-SEC-02): relay it to its devices that are online. */
	async function relayBatch(batchId: string): Promise<void> {
		const open = opsRepo.listOpenOperationsOfBatch(db, batchId);
		await relayNew([...new Set(open.map((o) => o.deviceId))], open);
	}

	/**
	 * On device authentication: first the withdrawals the device has not answered yet, then every other
	 * unfinished operation, batch by batch; the device dedupes by correlator. A withdrawn operation is never
	 * relayed again.
	 */
	async function deliverOpen(deviceId: string): Promise<void> {
		const open = opsRepo.listOpenOperationsOfDevice(db, deviceId);
		await withdraw(deviceId, open.filter((o) => o.cancelRequestedAt !== null));
		await deliver(deviceId, open.filter((o) => o.cancelRequestedAt === null));
	}

	/**
	 * Sends the MA-signed withdrawal of these operations to their device (cancel after delivery). The device
	 * answers each with a result: 1462 when it had not started it, else its own. Best effort: offline, it is
	 * sent again on the next connection (deliverOpen).
	 */
	async function withdraw(deviceId: string, ops: readonly OperationRow[]): Promise<void> {
		const relay = deps.relay();
		if (ops.length === 0 || !signing || !relay.sendWithdrawal || !relay.isOnline(deviceId)) return;
		try {
			const byMa = new Map<string, string[]>();
			for (const o of ops) byMa.set(o.maId, [...(byMa.get(o.maId) ?? []), o.correlator]);
			for (const [maId, correlators] of byMa) {
				for (let i = 0; i < correlators.length; i += 100) {
					const ack = await relay.sendWithdrawal(deviceId, signing.signWithdrawal(maId, deviceId, correlators.slice(i, i + 100)));
					log.debug({ deviceId, maId, ack }, 'withdrawal sent');
				}
			}
		} catch (e) {
			log.error({ err: e, deviceId }, 'sending a withdrawal failed; it is sent again on the next connection');
		}
	}

	async function deliver(deviceId: string, ops: readonly OperationRow[], refs?: ReturnType<typeof lookups>): Promise<void> {
		if (ops.length === 0) return;
		try {
			const { versions, mas } = refs ?? lookups(ops);
			for (const group of groupByBatch(ops)) {
				const ma = mas.get(group[0]!.maId);
				if (!ma) continue;
				for (const unsigned of buildCommandSets(group, ma, versions, deps.clock())) {
					// SCOMO-SEC-01: every relayed set carries its signed envelope; null = awaiting a passkey approval.
					const set = signing ? signing.seal(deviceId, unsigned) : unsigned;
					if (!set) continue;
					const accepted = await deps.relay().sendCommands(deviceId, set);
					if (!accepted) {
						log.debug({ deviceId, batchId: set.batchId }, 'command set not acknowledged; stays queued');
						continue;
					}
					markDelivered(deviceId, accepted);
					// Cancelled while the set was on its way: the device has it now, so withdraw it there too.
					const late = accepted
						.map((c) => opsRepo.getOperationByCorrelator(db, c))
						.filter((o): o is OperationRow => o !== undefined && (o.status === 'cancelled' || o.cancelRequestedAt !== null));
					await withdraw(deviceId, late);
				}
			}
		} catch (e) {
			log.error({ err: e, deviceId }, 'delivering operations failed; they stay queued');
		}
	}

	/** The device acked a command set: its operations are delivered (status only moves forward). */
	function markDelivered(deviceId: string, correlators: readonly string[]): void {
		const r = opsRepo.markDelivered(db, deviceId, correlators, deps.clock());
		if (r.changes === 0) return;
		emitUpdated(
			correlators
				.map((c) => opsRepo.getOperationByCorrelator(db, c))
				.filter((o): o is OperationRow => o !== undefined && o.deviceId === deviceId && o.status === 'delivered')
		);
	}

	/**
	 * The latest progress per operation, in memory only: a page opened in the middle of a download shows how far
	 * it got. Byte ticks are too frequent to store; a restart forgets them and the next tick brings them back.
	 * Bounded (oldest dropped first) and aged out, so it never grows with the operations ever run.
	 */
	const latestProgress = new Map<string, AdminProgressEvent>();

	/**
	 * Progress: consent wait or a step under way, with the SCOMO Download status 30/40/50 and download bytes.
	 * A status change is written through the group commit with the turn's other writes.
	 */
	async function recordProgress(deviceId: string, msg: ProgressMsg): Promise<Outcome<void>> {
		const op = opsRepo.getOperationByCorrelator(db, msg.correlator);
		if (!op || op.deviceId !== deviceId) return fail('not_found', 'no such operation for this device');
		if (isTerminalStatus(op.status as OperationStatus)) return ok(undefined); // late progress changes nothing
		const now = deps.clock();
		const set: Partial<OperationRow> = { status: msg.phase, deliveredAt: op.deliveredAt ?? now };
		if (msg.downloadStatus !== undefined) set.downloadStatus = msg.downloadStatus;
		// A byte tick repeats the stored status: no write, no `operation` event, only the live relay below.
		const changes = op.status !== set.status || op.deliveredAt === null || (set.downloadStatus !== undefined && set.downloadStatus !== op.downloadStatus);
		// The row after the update is `op` with `set` applied: no second read (bench/ profile).
		const changed = changes && (await writes.submit((tx) => opsRepo.updateOpenOperation(tx, op.id, set).changes > 0));
		if (changed) emitUpdated([{ ...op, ...set }]);
		const progress: AdminProgressEvent = {
			id: op.id,
			correlator: op.correlator,
			batchId: op.batchId,
			deviceId,
			phase: msg.phase,
			downloadStatus: set.downloadStatus ?? op.downloadStatus,
			bytesDone: msg.bytesDone ?? null,
			bytesTotal: msg.bytesTotal ?? null,
			at: now
		};
		latestProgress.delete(op.id);
		latestProgress.set(op.id, progress);
		if (latestProgress.size > PROGRESS_KEPT) latestProgress.delete(latestProgress.keys().next().value!);
		deps.events.emit('operation:progress', { ...progress, maId: op.maId });
		return ok(undefined);
	}

	/** The latest progress of these operations, when a device reported some lately (see latestProgress). */
	function progressOf(ids: readonly string[]): AdminProgressEvent[] {
		const since = deps.clock() - PROGRESS_KEPT_MS;
		return ids.flatMap((id) => {
			const p = latestProgress.get(id);
			return p && p.at >= since ? [p] : [];
		});
	}

	/**
	 * SCOMO OperationComplete: stored once per correlator. A repeated or late result (the operation has
	 * finished, expired or was cancelled) changes nothing and is answered duplicate: true, so the device
	 * can drop it from its outbox either way.
	 *
	 * Written through the group commit: the promise settles after the COMMIT holding this result, so the ack
	 * the device gets means "persisted". Two copies in one group stay one: the update only moves an open row.
	 */
	async function recordResult(deviceId: string, msg: OperationResultMsg): Promise<Outcome<{ duplicate: boolean }>> {
		const op = opsRepo.getOperationByCorrelator(db, msg.correlator);
		if (!op || op.deviceId !== deviceId) return fail('not_found', 'no such operation for this device');
		if (isTerminalStatus(op.status as OperationStatus)) return ok({ duplicate: true });
		const now = deps.clock();
		// 1462 from the device: it withdrew the operation (cancelled by the MA) before it started.
		const status: OperationStatus = isSuccessCode(msg.resultCode) ? 'completed' : msg.resultCode === RC.Cancelled ? 'cancelled' : 'failed';
		const set = { status, resultCode: msg.resultCode, resultMessage: msg.message, completedAt: now, deliveredAt: op.deliveredAt ?? now };
		const stored = await writes.submit((tx) => {
			if (opsRepo.closeOpenOperation(tx, op.id, set) === 0) return false;
			if (msg.resultCode === RC.Cancelled) {
				// Withdrawn before it started: nothing changed on the device, the inventory stays as it is.
			} else if (op.kind === 'Inventory') {
				if (msg.inventory) replaceMaInventory(tx, deviceId, op.maId, msg.inventory, now, msg.seq);
			} else if (op.componentId) {
				// Only the operation's own component: a result cannot touch another MA's entries (ADC-3).
				const entry = msg.entry && msg.entry.componentId === op.componentId ? msg.entry : msg.entry === null ? null : undefined;
				// The operation's MA owns its component (checked when it was created): the entry is filed under it.
				if (entry !== undefined) applyInventoryEntry(tx, deviceId, op.maId, op.componentId, entry, now, msg.seq);
			}
			audit(tx, now, {
				maId: op.maId,
				actor: { type: 'device', id: deviceId },
				action: 'operation.result',
				targetType: 'operation',
				targetId: op.id,
				outcome: String(msg.resultCode),
				detail: { correlator: op.correlator, kind: op.kind, componentId: op.componentId, message: msg.message, deviceCompletedAt: msg.completedAt }
			});
			return true;
		});
		if (!stored) return ok({ duplicate: true });
		// The stored row is `op` with `set` applied: no second read (bench/ profile).
		emitUpdated([{ ...op, ...set }]);
		deps.events.emit('inventory:changed', { deviceId });
		return ok({ duplicate: false });
	}

	/**
	 * Cancel an operation that has not started on the device. Queued (the device never had it): cancelled at
	 * once, 1462. Delivered or awaiting the user's consent: withdrawn on the device by an MA-signed message
	 * (the prompt disappears, nothing runs); the device's 1462 result ends it, or its own result if it had
	 * already started. Under way or finished: conflict. `reason` is an approver's, when they reject a
	 * high-risk batch: it becomes the operation's result message.
	 */
	function cancel(maId: string, actor: AuditActor, ref: string, reason?: string): Outcome<OperationView> {
		const op = find(maId, ref);
		if (!op) return fail('not_found', 'operation not found');
		const now = deps.clock();
		const outcome = db.transaction((tx) => {
			const queued = opsRepo.updateOperationFrom(tx, op.id, ['queued'], {
				status: 'cancelled',
				resultCode: RC.Cancelled,
				resultMessage: reason ? `rejected: ${reason}` : 'cancelled by the MA',
				completedAt: now
			});
			if (queued.changes > 0) {
				audit(tx, now, { maId, actor, action: 'operation.cancel', targetType: 'operation', targetId: op.id, outcome: 'ok' });
				return 'cancelled' as const;
			}
			if (!signing) return 'refused' as const;
			const delivered = opsRepo.updateOperationFrom(tx, op.id, ['delivered', 'awaiting-consent'], { cancelRequestedAt: op.cancelRequestedAt ?? now });
			if (delivered.changes === 0) return 'refused' as const;
			audit(tx, now, { maId, actor, action: 'operation.cancel', targetType: 'operation', targetId: op.id, outcome: 'withdrawal-sent' });
			return 'withdrawing' as const;
		});
		if (outcome === 'refused') {
			return fail('conflict', `the operation is ${op.status}; only operations not yet started on the device can be cancelled`);
		}
		const row = opsRepo.getOperation(db, op.id)!;
		emitUpdated([row]);
		if (outcome === 'withdrawing') void withdraw(row.deviceId, [row]);
		return ok(operationView(row));
	}

	/** Ends unanswered operations past their deadline with 1457; returns how many. */
	function expireDue(): number {
		const now = deps.clock();
		let count = 0;
		for (;;) {
			const due = opsRepo.listDueOperations(db, now, 500);
			if (due.length === 0) break;
			const expired: OperationRow[] = [];
			db.transaction((tx) => {
				for (const op of due) {
					const r = opsRepo.updateOpenOperation(tx, op.id, {
						status: 'expired',
						resultCode: RC.OperationExpired,
						resultMessage: 'no result from the device before the deadline',
						completedAt: now
					});
					if (r.changes > 0) expired.push(op);
				}
				if (expired.length > 0) {
					audit(tx, now, {
						maId: null,
						actor: { type: 'system', id: 'expiry' },
						action: 'operations.expire',
						outcome: String(RC.OperationExpired),
						detail: { count: expired.length }
					});
				}
			});
			count += expired.length;
			emitUpdated(opsRepo.listOperationsByIds(db, expired.map((o) => o.id)));
			if (due.length < 500) break;
		}
		return count;
	}

	/** Runs expireDue on an interval; the timer does not keep the process alive. Returns a stop function. */
	function startExpirySweeper(intervalMs: number, isOpen: () => boolean = () => true): () => void {
		const timer = setInterval(() => {
			if (!isOpen()) return;
			try {
				const n = expireDue();
				if (n > 0) log.info({ expired: n }, 'operations expired without an answer (1457)');
			} catch (e) {
				log.error({ err: e }, 'expiry sweep failed');
			}
		}, intervalMs);
		timer.unref();
		return () => clearInterval(timer);
	}

	/**
	 * One way to address an operation: its correlator (what the device reports) or its ID (what create
	 * returns next to it). Another MA's operation is absent, like a missing one (SCOMO-ADC-3).
	 */
	function find(maId: string, ref: string): OperationRow | null {
		const op = opsRepo.getOperationByCorrelator(db, ref) ?? opsRepo.getOperation(db, ref);
		return op && op.maId === maId ? op : null;
	}

	function get(maId: string, ref: string): Outcome<OperationView> {
		const op = find(maId, ref);
		if (!op) return fail('not_found', 'operation not found');
		return ok(operationView(op));
	}

	function list(maId: string, f: OperationListFilter): OperationView[] {
		return opsRepo
			.listOperations(db, { maId, deviceId: f.deviceId, status: f.status, batchId: f.batchId, limit: Math.min(Math.max(f.limit ?? 100, 1), 1000) })
			.map(operationView);
	}

	/** The package version an operation of this device carries (for download tokens). */
	function packageVersionFor(deviceId: string, correlator: string) {
		const op = opsRepo.getOperationByCorrelator(db, correlator);
		if (!op || op.deviceId !== deviceId) return fail('not_found', 'no such operation for this device');
		if (isTerminalStatus(op.status as OperationStatus)) return fail('conflict', `the operation is ${op.status}`);
		if (!op.packageVersionId) return fail('not_found', 'this operation carries no package');
		const v = pkgs.getPackageVersionById(db, op.packageVersionId);
		if (!v) return fail('not_found', 'package version not found');
		return ok(v);
	}

	return {
		create,
		relayBatch,
		deliverOpen,
		markDelivered,
		recordProgress,
		progressOf,
		recordResult,
		cancel,
		expireDue,
		startExpirySweeper,
		get,
		list,
		packageVersionFor
	};
}

export type OperationService = ReturnType<typeof createOperationService>;
