/**
 * Each device's inventory as the device last reported it. Every entry is tagged with the MA that owns the
 * component, and the owner is part of its key: component IDs are unique per MA only, so two MAs' same-named
 * components are two entries. Reads are filtered to the requesting MA (SCOMO-ADC-3).
 */
import type { ComponentState } from '../../core';
import type { ComponentStateChangeMsg } from '../../contract';
import * as inv from '../db/repos/inventory';
import * as pkgs from '../db/repos/packages';
import * as enrollmentsRepo from '../db/repos/enrollments';
import type { Q } from '../db/repos/types';
import { inventoryView, type InventoryItemView } from './views';
import type { ServiceDeps } from './deps';

/** A component as a full report names it: the owner is optional (devices built before namespacing omit it). */
export type ReportedComponent = ComponentState & { maId?: string };

/** Strips the wire's owner field: the stored entry keeps it in its own column. */
function componentOf(c: ReportedComponent): ComponentState {
	if (c.stage === 'delivered') return { stage: 'delivered', componentId: c.componentId, version: c.version };
	return { stage: 'deployed', componentId: c.componentId, version: c.version, state: c.state, operational: c.operational };
}

function row(deviceId: string, c: ComponentState, maId: string, at: number) {
	return {
		deviceId,
		componentId: c.componentId,
		maId,
		stage: c.stage,
		version: c.version,
		deployedState: c.stage === 'deployed' ? c.state : null,
		operationalState: c.stage === 'deployed' ? c.operational : null,
		updatedAt: at
	};
}

/**
 * The owner of each reported entry, among the MAs the device is enrolled with and only if that MA has a
 * component by that ID: a device cannot file a component under an MA that never sent it. An entry without an
 * owner (an older device) is attributed only when exactly one of its MAs has that ID; when several do, it is
 * left out, because filing it under the wrong one would show an MA another MA's component.
 */
function attribute(q: Q, deviceId: string, components: readonly ReportedComponent[]): { maId: string; component: ComponentState }[] {
	const mas = enrollmentsRepo.activeMaIdsOfDevice(q, deviceId);
	const known = pkgs.getPackagesOfMasByComponentIds(q, mas, [...new Set(components.map((c) => c.componentId))]);
	const out: { maId: string; component: ComponentState }[] = [];
	for (const c of components) {
		const candidates = known.filter((p) => p.componentId === c.componentId && (c.maId === undefined || p.maId === c.maId));
		if (candidates.length === 1) out.push({ maId: candidates[0]!.maId, component: componentOf(c) });
	}
	return out;
}

/**
 * A full report replaces every row of the device, except the components a newer report (a higher device
 * report sequence than `seq`) already changed: reports delivered late never put the inventory back in time.
 */
export function replaceDeviceInventory(
	q: Q,
	deviceId: string,
	components: readonly ReportedComponent[],
	at: number,
	seq?: number,
	/** MAs the device's user withholds (consent): their rows stay as last shared, and nothing of theirs is taken. */
	withheld: readonly string[] = []
): void {
	const hidden = new Set(withheld);
	const unique = new Map(
		attribute(q, deviceId, components)
			.filter((e) => !hidden.has(e.maId))
			.map((e) => [inv.componentKey(e.maId, e.component.componentId), e])
	);
	if (seq === undefined && hidden.size === 0) {
		inv.deleteInventoryOfDevice(q, deviceId);
		inv.insertInventory(
			q,
			[...unique.values()].map((e) => row(deviceId, e.component, e.maId, at))
		);
		return;
	}
	const rows = inv.listInventory(q, deviceId).filter((r) => !hidden.has(r.maId));
	if (seq === undefined) {
		for (const r of rows) inv.deleteInventoryEntry(q, deviceId, r.maId, r.componentId);
		for (const e of unique.values()) inv.upsertInventoryEntry(q, row(deviceId, e.component, e.maId, at));
		return;
	}
	const applied = inv.reportSeqsOfDevice(q, deviceId);
	const current = new Map(rows.map((r) => [inv.componentKey(r.maId, r.componentId), { maId: r.maId, componentId: r.componentId }]));
	for (const [key, e] of unique) current.set(key, { maId: e.maId, componentId: e.component.componentId });
	for (const [key, { maId, componentId }] of current) {
		applyInventoryEntry(q, deviceId, maId, componentId, unique.get(key)?.component ?? null, at, seq, applied.get(key) ?? null, true);
	}
}

/**
 * An Inventory result of one MA replaces that MA's rows only; entries the MA has no component for are ignored
 * (ADC-3). Like a full report, it changes no component a newer report already changed.
 */
export function replaceMaInventory(q: Q, deviceId: string, maId: string, components: readonly ComponentState[], at: number, seq?: number): void {
	const ids = new Set(pkgs.getPackagesOfMasByComponentIds(q, [maId], [...new Set(components.map((c) => c.componentId))]).map((p) => p.componentId));
	const mine = new Map(components.filter((c) => ids.has(c.componentId)).map((c) => [c.componentId, componentOf(c)]));
	if (seq === undefined) {
		inv.deleteInventoryOfDeviceMa(q, deviceId, maId);
		for (const c of mine.values()) inv.upsertInventoryEntry(q, row(deviceId, c, maId, at));
		return;
	}
	const applied = inv.reportSeqsOfDevice(q, deviceId);
	const current = inv.listInventoryOfMa(q, deviceId, maId).map((r) => r.componentId);
	for (const componentId of new Set([...current, ...mine.keys()])) {
		applyInventoryEntry(q, deviceId, maId, componentId, mine.get(componentId) ?? null, at, seq, applied.get(inv.componentKey(maId, componentId)) ?? null, true);
	}
}

/** The entry of one MA's component after an operation; null = no longer on the device. */
export function applyInventoryEntry(
	q: Q,
	deviceId: string,
	maId: string,
	componentId: string,
	entry: ComponentState | null,
	at: number,
	/** The device's report sequence of this change; absent (an older device) = applied as it comes. */
	seq?: number,
	/** The sequence already applied to the component, when the caller read it (else it is read here). */
	applied: number | null = seq === undefined ? null : inv.reportSeqOf(q, deviceId, maId, componentId),
	/** A full report at the same sequence repeats what is known: apply it (idempotent); a single change does not. */
	sameSeqApplies = false
): void {
	if (seq !== undefined) {
		if (applied !== null && (seq < applied || (seq === applied && !sameSeqApplies))) return; // older news
		inv.setReportSeq(q, deviceId, maId, componentId, seq);
	}
	if (entry === null) {
		inv.deleteInventoryEntry(q, deviceId, maId, componentId);
		return;
	}
	inv.upsertInventoryEntry(q, row(deviceId, entry, maId, at));
}

export function createInventoryService(deps: ServiceDeps) {
	const { db } = deps;

	function report(deviceId: string, components: readonly ReportedComponent[], seq?: number, withheld?: readonly string[]): void {
		db.transaction((tx) => replaceDeviceInventory(tx, deviceId, components, deps.clock(), seq, withheld));
		deps.events.emit('inventory:changed', { deviceId });
	}

	/** SCOMO-ADC-3: only the requesting MA's components. */
	function listForMa(deviceId: string, maId: string): InventoryItemView[] {
		return inv.listInventoryOfMa(db, deviceId, maId).map(inventoryView);
	}

	function componentState(deviceId: string, msg: ComponentStateChangeMsg): void {
		const changed = db.transaction((tx) => {
			// An older device names no owner: then the one MA holding that ID on the device, if there is just one.
			const owners = msg.maId === undefined ? inv.ownersOnDevice(tx, deviceId, msg.componentId) : [];
			const maId = msg.maId ?? (owners.length === 1 ? owners[0]! : null);
			if (maId === null || !enrollmentsRepo.activeMaIdsOfDevice(tx, deviceId).includes(maId)) return false;
			if (msg.seq !== undefined) {
				// Older than what the server has for this component: a late delivery, it changes nothing.
				const applied = inv.reportSeqOf(tx, deviceId, maId, msg.componentId);
				if (applied !== null && msg.seq <= applied) return false;
				inv.setReportSeq(tx, deviceId, maId, msg.componentId, msg.seq);
			}
			return inv.setOperationalState(tx, deviceId, maId, msg.componentId, msg.operational, deps.clock()).changes > 0;
		});
		if (changed) deps.events.emit('inventory:changed', { deviceId });
	}

	/** How many of the MA's devices run each of these components (component ID → count; absent: none). */
	function deployedCounts(maId: string, componentIds: readonly string[]): Map<string, number> {
		return new Map(inv.deployedCounts(db, maId, componentIds).map((r) => [r.componentId, Number(r.n)]));
	}

	/** How many of the MA's devices hold each version of one component (version → count, any stage). */
	function holdersByVersion(maId: string, componentId: string): Map<string, number> {
		const out = new Map<string, number>();
		for (const r of inv.versionCounts(db, maId, componentId)) out.set(r.version, (out.get(r.version) ?? 0) + Number(r.n));
		return out;
	}

	return { report, listForMa, deployedCounts, holdersByVersion, componentState };
}

export type InventoryService = ReturnType<typeof createInventoryService>;
