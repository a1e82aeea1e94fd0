/**
 * How one operation ends on the device: the result to report and the inventory change committed with it.
 * Shared by the parts of the executor (inbox, step runner, the journal loop) so every result has one shape.
 */
import type { ComponentState } from '../../core';
import type { CommandOperationMsg, OperationResultMsg } from '../../contract';
import { wireText } from '../events';
import type { InventoryItem } from '../ports';
import type { LedgerKeeper } from '../ledger';

export type Outcome = {
	resultCode: number;
	message: string;
	componentId: string | null;
	/** The new inventory item, null to drop it, 'unchanged' to leave the inventory alone. */
	item: InventoryItem | null | 'unchanged';
	/** The entry reported to the server (the component's state after the operation). */
	entry: ComponentState | null;
	inventory?: ComponentState[];
	/** Runs after the commit: deleting a bundle the new state no longer needs. */
	cleanup?: () => Promise<void>;
};

/** Thrown when the runtime stops mid-operation: nothing is committed, the journal runs it again next start. */
export class Interrupted extends Error {}

/** The component an operation is about: named by the command, or by its package (Download*). */
export const componentOf = (op: CommandOperationMsg): string | null => op.componentId ?? op.package?.componentId ?? null;

/** An outcome that leaves the inventory alone, reporting the component as it is (`entry`). */
export const unchanged = (resultCode: number, message: string, componentId: string | null, entry: ComponentState | null): Outcome => ({
	resultCode,
	message,
	componentId,
	item: 'unchanged',
	entry
});

export function toResult(op: CommandOperationMsg, o: Outcome, completedAt: number): OperationResultMsg {
	return {
		correlator: op.correlator,
		resultCode: o.resultCode,
		message: wireText(o.message),
		componentId: o.componentId,
		entry: o.entry,
		...(o.inventory ? { inventory: o.inventory } : {}),
		completedAt
	};
}

/** SCOMO-ADC-3: only the MA's own component; another MA's of the same ID is a different component. */
export function visibleEntry(keeper: LedgerKeeper, maId: string, componentId: string | null): ComponentState | null {
	return componentId ? (keeper.item(maId, componentId)?.component ?? null) : null;
}
