/**
 * Pure helpers behind the console's live views: keeping a list of operations current as events arrive,
 * the actions a component row offers, and a batch's progress. No I/O, so they are unit-tested.
 */
import {
	allowedOperations,
	isOperationalState,
	isSuccessCode,
	isTerminalStatus,
	resultCodeName,
	type ComponentState,
	type OperationKind,
	type OperationStatus
} from '../core';
import { compareVersions, newerVersions } from '../core/semver';
import type { InventoryItemView } from '../contract/admin-protocol';
import type { OpRow } from './types';

const terminal = (status: string) => isTerminalStatus(status as OperationStatus);

/** Where a status sits in an operation's life: events never move an operation back (late or replayed events). */
const RANK: Record<string, number> = { queued: 0, delivered: 1, 'awaiting-consent': 2, 'in-progress': 3 };
const rank = (status: string) => (terminal(status) ? 4 : (RANK[status] ?? 0));

/** Newest first; within one batch step order. */
const order = (a: OpRow, b: OpRow) => b.createdAt - a.createdAt || a.seq - b.seq;

/**
 * The list with `op` replacing the row of the same id, or added (when `accept` says it belongs here).
 * A late (or replayed) event carrying an earlier status never overwrites a later one, nor a result.
 */
export function upsertOp(list: readonly OpRow[], op: OpRow, accept: (op: OpRow) => boolean = () => true, limit = 200): OpRow[] {
	const i = list.findIndex((o) => o.id === op.id);
	if (i >= 0) {
		const old = list[i]!;
		if (rank(op.status) < rank(old.status) || (terminal(old.status) && op.status !== old.status)) return [...list];
		const next = [...list];
		next[i] = op;
		return next;
	}
	if (!accept(op)) return [...list];
	return [...list, op].sort(order).slice(0, limit);
}

/** The core's component state from an inventory row (missing fields take the SCOMO defaults). */
export function toComponentState(item: InventoryItemView): ComponentState {
	if (item.stage === 'delivered') return { stage: 'delivered', componentId: item.componentId, version: item.version };
	return {
		stage: 'deployed',
		componentId: item.componentId,
		version: item.version,
		state: item.state ?? 'Inactive',
		operational: isOperationalState(item.operational) ? item.operational : 'Stopped'
	};
}

/** What a component row can offer: an operation, or an Update to an older version, named for what it is. */
export type RowAction = OperationKind | 'Downgrade';

/** Most used first; Remove (destructive) always last, so the red button is never the first one met. */
const ROW_ORDER: RowAction[] = [
	'Start',
	'Stop',
	'Update',
	'DownloadInstall',
	'Install',
	'Activate',
	'Deactivate',
	'DownloadInstallInactive',
	'InstallInactive',
	'Download',
	'Downgrade',
	'Remove'
];

/**
 * The actions a component row offers: exactly those the core transition function accepts in its current
 * state (so the UI never offers what the device would refuse), in ROW_ORDER. Update is offered only when a
 * HIGHER version exists; a lower one is offered as its own, explicit Downgrade.
 */
export function rowOperations(item: InventoryItemView | null, versions: { newer: number; older: number }): RowAction[] {
	const allowed: RowAction[] = allowedOperations(item ? toComponentState(item) : null);
	const offered = allowed.filter((k) => k !== 'Update' || versions.newer > 0);
	if (allowed.includes('Update') && versions.older > 0) offered.push('Downgrade');
	return ROW_ORDER.filter((k) => offered.includes(k));
}

export type ResultCount = { code: number; name: string; success: boolean; count: number };

export type JobSummary = {
	total: number;
	finished: number;
	devices: number;
	byStatus: Partial<Record<OperationStatus, number>>;
	byResult: ResultCount[];
	/** Devices showing a consent prompt to their user right now (SCOMO-USA-1). */
	awaitingConsent: string[];
	/** Devices that are offline with operations still queued for them (they get them on reconnect). */
	offlineQueued: string[];
	/** Devices with at least one operation that did not succeed. */
	failedDevices: string[];
};

export function jobSummary(ops: readonly OpRow[], isOnline: (deviceId: string) => boolean): JobSummary {
	const byStatus: Partial<Record<OperationStatus, number>> = {};
	const results = new Map<number, ResultCount>();
	const awaiting = new Set<string>();
	const queued = new Set<string>();
	const failed = new Set<string>();
	for (const o of ops) {
		const s = o.status as OperationStatus;
		byStatus[s] = (byStatus[s] ?? 0) + 1;
		if (o.resultCode !== null) {
			const r = results.get(o.resultCode) ?? {
				code: o.resultCode,
				name: resultCodeName(o.resultCode),
				success: isSuccessCode(o.resultCode),
				count: 0
			};
			r.count++;
			results.set(o.resultCode, r);
			if (!r.success) failed.add(o.deviceId);
		}
		if (s === 'awaiting-consent') awaiting.add(o.deviceId);
		if ((s === 'queued' || s === 'delivered') && !isOnline(o.deviceId)) queued.add(o.deviceId);
	}
	return {
		total: ops.length,
		finished: ops.filter((o) => terminal(o.status)).length,
		devices: new Set(ops.map((o) => o.deviceId)).size,
		byStatus,
		// Successes first, then the most frequent failures.
		byResult: [...results.values()].sort((a, b) => Number(b.success) - Number(a.success) || b.count - a.count || a.code - b.code),
		awaitingConsent: [...awaiting],
		offlineQueued: [...queued],
		failedDevices: [...failed]
	};
}

export type RetryGroup = {
	deviceIds: string[];
	steps: { kind: string; componentId: string | null; version: string | null }[];
};

/**
 * What "retry failures" runs again: for each device whose batch did not fully succeed, the batch's steps
 * from its first unsuccessful one onwards (earlier steps already took effect). Devices needing the same
 * steps share one new batch, so each still confirms once (SCOMO-ADC-2). Unfinished devices are left alone.
 */
export function retryPlan(ops: readonly OpRow[]): RetryGroup[] {
	const byDevice = new Map<string, OpRow[]>();
	for (const o of ops) byDevice.set(o.deviceId, [...(byDevice.get(o.deviceId) ?? []), o]);
	const groups = new Map<string, RetryGroup>();
	for (const [deviceId, list] of byDevice) {
		const steps = [...list].sort((a, b) => a.seq - b.seq);
		if (!steps.every((o) => terminal(o.status))) continue;
		const first = steps.findIndex((o) => o.status !== 'completed');
		if (first < 0) continue;
		const again = steps.slice(first).map((o) => ({ kind: o.kind, componentId: o.componentId, version: o.version }));
		const key = JSON.stringify(again);
		const g = groups.get(key) ?? { deviceIds: [], steps: again };
		g.deviceIds.push(deviceId);
		groups.set(key, g);
	}
	return [...groups.values()];
}

/** "DownloadInstall com.example.clock 1.0.0 → Start com.example.clock": the steps of one batch. */
export function describeSteps(ops: readonly Pick<OpRow, 'kind' | 'componentId' | 'version' | 'seq'>[]): string {
	const seen = new Map<number, string>();
	for (const o of ops) if (!seen.has(o.seq)) seen.set(o.seq, [o.kind, o.componentId, o.version].filter(Boolean).join(' '));
	return [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => s).join(' → ');
}

/** A job's progress bar, one segment per outcome, so a job where every device failed never looks like a blue "done". */
export type ProgressSegments = { succeeded: number; failed: number; running: number; waiting: number; total: number };

export function progressSegments(ops: readonly Pick<OpRow, 'status' | 'resultCode'>[]): ProgressSegments {
	const counts: Record<string, number> = {};
	for (const o of ops) counts[o.status] = (counts[o.status] ?? 0) + 1;
	return progressOfCounts(counts);
}

/** The same bar from how many operations are in each status (a job page sums them in SQL). */
export function progressOfCounts(counts: Readonly<Record<string, number>>): ProgressSegments {
	const s: ProgressSegments = { succeeded: 0, failed: 0, running: 0, waiting: 0, total: 0 };
	for (const [status, n] of Object.entries(counts)) {
		s.total += n;
		if (status === 'completed') s.succeeded += n;
		else if (terminal(status)) s.failed += n;
		else if (status === 'in-progress' || status === 'awaiting-consent') s.running += n;
		else s.waiting += n;
	}
	return s;
}

/**
 * The versions an Update of these devices may target: only those newer than what EACH has installed (above
 * the highest of them), so no device in the batch is taken backwards; a downgrade is its own action.
 * With no installed version known (no device picked yet) every version is a candidate.
 */
export function updateTargets<T extends { version: string }>(all: readonly T[], installed: readonly (string | null | undefined)[]): T[] {
	const have = installed.filter((v): v is string => Boolean(v));
	if (have.length === 0) return [...all].sort((a, b) => compareVersions(b.version, a.version));
	const top = have.reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b));
	return newerVersions(all, top);
}
