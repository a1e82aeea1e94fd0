/**
 * Is a rollout high-risk under the MA's trust policy? The batch rule itself (core needsApproval), with the
 * fan-out being the whole target: a rollout's small batches together reach all of it.
 */
import { needsApproval, type TrustStatement } from '../../../core/envelope';
import type { RolloutDefinition } from '../../../contract/rollouts';
import type { RolloutTargets } from './targets';

export function isHighRiskRollout(
	d: RolloutDefinition,
	trust: Pick<TrustStatement, 'policy' | 'credentials'>,
	targets: RolloutTargets,
	maId: string
): boolean {
	const devices = targets.resolveTarget(maId, d.target);
	return needsApproval({ operations: d.steps.operations, leafCount: devices.ok ? devices.value.length : 0 }, trust);
}
