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

/** A full report replaces every row of the device. */
export function replaceDeviceInventory(q: Q, deviceId: string, components: readonly ComponentState[], at: number): void {
	const own = owners(
		q,
		components.map((c) => c.componentId)
	);
	inv.deleteInventoryOfDevice(q, deviceId);
	const unique = new Map(components.map((c) => [c.componentId, c]));
	inv.insertInventory(
		q,
		[...unique.values()].map((c) => row(deviceId, c, own.get(c.componentId) ?? null, at))
	);
}

/** An Inventory result of one MA replaces that MA's rows only; entries of other owners are ignored (ADC-3). */
export function replaceMaInventory(q: Q, deviceId: string, maId: string, components: readonly ComponentState[], at: number): void {
	const own = owners(
		q,
		components.map((c) => c.componentId)
	);
	inv.deleteInventoryOfDeviceMa(q, deviceId, maId);
	const mine = new Map(components.filter((c) => own.get(c.componentId) === maId).map((c) => [c.componentId, c]));
	for (const c of mine.values()) inv.upsertInventoryEntry(q, row(deviceId, c, maId, at));
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
	owner?: string
): void {
	if (entry === null) {
		inv.deleteInventoryEntry(q, deviceId, componentId);
		return;
	}
	inv.upsertInventoryEntry(q, row(deviceId, entry, owner ?? owners(q, [componentId]).get(componentId) ?? null, at));
}

export function createInventoryService(deps: ServiceDeps) {
	const { db } = deps;

	function report(deviceId: string, components: readonly ComponentState[]): void {
		db.transaction((tx) => replaceDeviceInventory(tx, deviceId, components, deps.clock()));
		deps.events.emit('inventory:changed', { deviceId });
	}

	/** SCOMO-ADC-3: only the requesting MA's components. */
	function listForMa(deviceId: string, maId: string): InventoryItemView[] {
		return inv.listInventoryOfMa(db, deviceId, maId).map(inventoryView);
	}

	function componentState(deviceId: string, msg: ComponentStateChangeMsg): void {
		const r = inv.setOperationalState(db, deviceId, msg.componentId, msg.operational, deps.clock());
		if (r.changes > 0) deps.events.emit('inventory:changed', { deviceId });
	}

	return { report, listForMa, componentState };
}

export type InventoryService = ReturnType<typeof createInventoryService>;
