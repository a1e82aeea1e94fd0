/**
 * One component in one device's inventory, as the SCOMO 1.0 tree shows it:
 * - `Inventory/Delivered/<x>`: a downloaded package not yet installed;
 * - `Inventory/Deployed/<x>`: an installed component, Active or Inactive (SCOMO-HLFR-4), with an operational state
 *   added as LwM2M Object 9 v1.1 for relayed Start/Stop (SCOMO-HLFR-5).
 * A component absent from the device is `null`, so "not there" can never carry stale fields.
 */

import type { DeployedState, OperationalState } from './states';

export type DeliveredComponent = { stage: 'delivered'; componentId: string; version: string };

export type DeployedComponent = {
	stage: 'deployed';
	componentId: string;
	version: string;
	state: DeployedState;
	operational: OperationalState;
};

export type ComponentState = DeliveredComponent | DeployedComponent;

export function isDeployed(c: ComponentState | null): c is DeployedComponent {
	return c !== null && c.stage === 'deployed';
}

export function isDelivered(c: ComponentState | null): c is DeliveredComponent {
	return c !== null && c.stage === 'delivered';
}

/**
 * Running or still starting up: such a component must be stopped before it is removed, updated or deactivated,
 * and cannot be started again.
 */
export function isLive(c: ComponentState | null): boolean {
	return isDeployed(c) && (c.operational === 'Running' || c.operational === 'Initializing');
}
