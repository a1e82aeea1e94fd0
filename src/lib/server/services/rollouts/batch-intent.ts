/**
 * The intent every batch of a rollout carries (what the device's user reads): the rollout's own, else its
 * name. One rule for the scheduler, which makes the batches, and the approval, which signs what they will say.
 */
import type { RolloutDefinition } from '../../../contract/rollouts';

export const batchIntent = (rolloutName: string, d: Pick<RolloutDefinition, 'steps'>): string => d.steps.intent || `rollout ${rolloutName}`;
