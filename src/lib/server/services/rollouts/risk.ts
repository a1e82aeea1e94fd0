/**
 * Is a rollout high-risk under the MA's trust policy? The same rule as a batch (core needsApproval): a step of
 * a listed kind, or a fan-out above the threshold, with the fan-out being the whole target (a rollout's small
 * batches together reach all of it), and only when the MA has passkeys to approve with.
 */
import type { HighRiskPolicy, AdminCredential } from '../../../core/envelope';
import type { RolloutDefinition } from '../../../contract/rollouts';
import type { RolloutTargets } from './targets';

export function isHighRiskRollout(
	d: RolloutDefinition,
	trust: { policy: HighRiskPolicy; credentials: readonly AdminCredential[] },
	targets: RolloutTargets,
	maId: string
): boolean {
	if (trust.credentials.length === 0) return false;
	if (d.steps.operations.some((s) => trust.policy.kinds.includes(s.kind))) return true;
	const devices = targets.resolveTarget(maId, d.target);
	return devices.ok && devices.value.length > trust.policy.fanout;
}
