/**
 * Each device's inventory as the device last reported it. Every entry is tagged with the MA that owns
 * the component (null when no MA uploaded it), so reads are filtered to the requesting MA (SCOMO-ADC-3).
 */
import type { ComponentState } from '../../core';
import type { ComponentStateChangeMsg } from '../../contract';
import * as inv from '../db/repos/inventory';
import * as pkgs from '../db/repos/packages';
import type { Q } from '../db/repos/types';
import { inventoryView, type InventoryItemView } from './views';
import type { ServiceDeps } from './deps';

function row(deviceId: string, c: ComponentState, maId: string | null, at: number) {
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

/** componentId → owning MA, for the components named. */
function owners(q: Q, componentIds: readonly string[]): Map<string, string> {
	return new Map(pkgs.getPackagesByComponentIds(q, [...new Set(componentIds)]).map((p) => [p.componentId, p.maId]));
}

/**
 * A full report replaces every row of the device, except the components a newer report (a higher device
 * report sequence than `seq`) already changed: reports delivered late never put the inventory back in time.
 */
export function replaceDeviceInventory(
	q: Q,
	deviceId: string,
	components: readonly ComponentState[],
	at: number,
	seq?: number,
	/** MAs the device's user withholds (consent): their rows stay as last shared, and nothing of theirs is taken. */
	withheld: readonly string[] = []
): void {
	const own = owners(
		q,
		components.map((c) => c.componentId)
	);
	const hidden = new Set(withheld);
	const unique = new Map(components.filter((c) => !hidden.has(own.get(c.componentId) ?? '')).map((c) => [c.componentId, c]));
	if (seq === undefined && hidden.size === 0) {
		inv.deleteInventoryOfDevice(q, deviceId);
		inv.insertInventory(
			q,
			[...unique.values()].map((c) => row(deviceId, c, own.get(c.componentId) ?? null, at))
		);
		return;
	}
	const rows = inv.listInventory(q, deviceId);
	if (seq === undefined) {
		for (const r of rows) if (!r.maId || !hidden.has(r.maId)) inv.deleteInventoryEntry(q, deviceId, r.componentId);
		for (const c of unique.values()) inv.upsertInventoryEntry(q, row(deviceId, c, own.get(c.componentId) ?? null, at));
		return;
	}
	const applied = inv.reportSeqsOfDevice(q, deviceId);
	const current = rows.filter((r) => !r.maId || !hidden.has(r.maId)).map((r) => r.componentId);
	for (const componentId of new Set([...current, ...unique.keys()])) {
		const c = unique.get(componentId) ?? null;
		applyInventoryEntry(q, deviceId, componentId, c, at, c ? (own.get(componentId) ?? null) : undefined, seq, applied.get(componentId) ?? null, true);
	}
}

/**
 * An Inventory result of one MA replaces that MA's rows only; entries of other owners are ignored (ADC-3).
 * Like a full report, it changes no component a newer report already changed.
 */
export function replaceMaInventory(q: Q, deviceId: string, maId: string, components: readonly ComponentState[], at: number, seq?: number): void {
	const own = owners(
		q,
		components.map((c) => c.componentId)
	);
	const mine = new Map(components.filter((c) => own.get(c.componentId) === maId).map((c) => [c.componentId, c]));
	if (seq === undefined) {
		inv.deleteInventoryOfDeviceMa(q, deviceId, maId);
		for (const c of mine.values()) inv.upsertInventoryEntry(q, row(deviceId, c, maId, at));
		return;
	}
	const applied = inv.reportSeqsOfDevice(q, deviceId);
	const current = inv.listInventoryOfMa(q, deviceId, maId).map((r) => r.componentId);
	for (const componentId of new Set([...current, ...mine.keys()])) {
		applyInventoryEntry(q, deviceId, componentId, mine.get(componentId) ?? null, at, maId, seq, applied.get(componentId) ?? null, true);
	}
}

/**
 * The entry of one component after an operation; null = no longer on the device. `owner`, when the caller
 * knows it (an operation's MA owns its component: checked at creation, ADC-3), saves the lookup per result.
 */
export function applyInventoryEntry(
	q: Q,
	deviceId: string,
	componentId: string,
	entry: ComponentState | null,
	at: number,
	owner?: string | null,
	/** The device's report sequence of this change; absent (an older device) = applied as it comes. */
	seq?: number,
	/** The sequence already applied to the component, when the caller read it (else it is read here). */
	applied: number | null = seq === undefined ? null : inv.reportSeqOf(q, deviceId, componentId),
	/** A full report at the same sequence repeats what is known: apply it (idempotent); a single change does not. */
	sameSeqApplies = false
): void {
	if (seq !== undefined) {
		if (applied !== null && (seq < applied || (seq === applied && !sameSeqApplies))) return; // older news
		inv.setReportSeq(q, deviceId, componentId, seq);
	}
	if (entry === null) {
		inv.deleteInventoryEntry(q, deviceId, componentId);
		return;
	}
	inv.upsertInventoryEntry(q, row(deviceId, entry, owner !== undefined ? owner : (owners(q, [componentId]).get(componentId) ?? null), at));
}

export function createInventoryService(deps: ServiceDeps) {
	const { db } = deps;

	function report(deviceId: string, components: readonly ComponentState[], seq?: number, withheld?: readonly string[]): void {
		db.transaction((tx) => replaceDeviceInventory(tx, deviceId, components, deps.clock(), seq, withheld));
		deps.events.emit('inventory:changed', { deviceId });
	}

	/** SCOMO-ADC-3: only the requesting MA's components. */
	function listForMa(deviceId: string, maId: string): InventoryItemView[] {
		return inv.listInventoryOfMa(db, deviceId, maId).map(inventoryView);
	}

	function componentState(deviceId: string, msg: ComponentStateChangeMsg): void {
		const changed = db.transaction((tx) => {
			if (msg.seq !== undefined) {
				// Older than what the server has for this component: a late delivery, it changes nothing.
				const applied = inv.reportSeqOf(tx, deviceId, msg.componentId);
				if (applied !== null && msg.seq <= applied) return false;
				inv.setReportSeq(tx, deviceId, msg.componentId, msg.seq);
			}
			return inv.setOperationalState(tx, deviceId, msg.componentId, msg.operational, deps.clock()).changes > 0;
		});
		if (changed) deps.events.emit('inventory:changed', { deviceId });
	}

	return { report, listForMa, componentState };
}

export type InventoryService = ReturnType<typeof createInventoryService>;
