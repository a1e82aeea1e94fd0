/**
 * Consent decisions for one command set (SCOMO-USA-1..5, SCOMO-ADC-1/2): what the user is shown, and whether
 * the set may run. Pure: the executor asks the ConsentPort only when `consentPlan` says so.
 */
import { OPERATION_INFO, asksPermissions, type ConsentMode } from '../core';
import { PERMISSIONS, type CommandSetMsg, type Permission } from '../contract';
import type { ConsentOperation, ConsentRequest, InventoryItem, UserChoice } from './ports';

/**
 * - 'refuse-blocked': the user blocked this MA; every operation ends with 1401 and a notice.
 * - 'run': no prompt (silent, SCOMO-USA-5; or confirm pre-approved by the user's 'allow').
 * - 'run-notify': tell the user before and after (SCOMO-USA-2).
 * - 'ask': one confirmation for the whole set (SCOMO-USA-1, USA-3, ADC-2); refusal ends with 1401.
 */
export type ConsentPlan = 'refuse-blocked' | 'run' | 'run-notify' | 'ask';

export function consentPlan(mode: ConsentMode, choice: UserChoice): ConsentPlan {
	if (choice === 'block') return 'refuse-blocked';
	if (mode === 'silent') return 'run';
	if (mode === 'notify') return 'run-notify';
	return choice === 'allow' ? 'run' : 'ask';
}

/**
 * SCOMO-USA-1, ADC-1 for unsolicited reports: is this MA's inventory withheld? When the user blocked the
 * MA, or refused its Inventory query (`refused`) and has not allowed it since. The connect-time inventory
 * and state changes obey this like an Inventory query obeys the prompt.
 */
export function inventoryWithheld(maId: string, choice: UserChoice, refused: readonly string[]): boolean {
	if (choice === 'block') return true;
	if (choice === 'allow') return false;
	return refused.includes(maId);
}

/** What each operation means for the user (SCOMO-USA-4): its implication, the component and its permissions. */
export function describeOperations(
	set: CommandSetMsg,
	itemOf: (componentId: string) => InventoryItem | null
): ConsentOperation[] {
	return set.operations.map((op) => {
		const info = OPERATION_INFO[op.kind];
		const componentId = op.componentId ?? op.package?.componentId ?? null;
		const manifest = op.package?.manifest ?? (componentId ? itemOf(componentId)?.manifest : undefined) ?? null;
		// Only what installs or replaces the component grants it permissions (a Stop asks for none).
		const permissions = (asksPermissions(op.kind) ? (manifest?.permissions ?? []) : []).map((p) => ({
			permission: p,
			sentence: PERMISSIONS[p as Permission] ?? p
		}));
		return {
			correlator: op.correlator,
			kind: op.kind,
			label: info.label,
			implication: info.implication,
			component: componentId
				? { id: componentId, name: manifest?.name ?? componentId, version: op.package?.version ?? op.version ?? manifest?.version ?? null }
				: null,
			permissions
		};
	});
}

export function consentRequest(set: CommandSetMsg, itemOf: (componentId: string) => InventoryItem | null): ConsentRequest {
	return { maId: set.maId, maName: set.maName, intent: set.intent, operations: describeOperations(set, itemOf) };
}
