/**
 * Where a rollout's devices come from: the port the rollout service is built with. Filter targets are resolved
 * here with the devices service (the filter language in SQL, repos/device-list.ts). Groups belong to the groups
 * service; until it is wired in (services/index.ts, `groups:` of createRolloutService), a group answers
 * not_found 'group not found', like a group of another MA.
 */
import { ok } from '../../../core';
import type { RolloutTarget } from '../../../contract/rollouts';
import type { Outcome } from '../errors';

export type RolloutTargets = {
	/** The target's devices enrolled with the MA now, in a stable order (phases are cut from it). */
	resolveTarget(maId: string, target: RolloutTarget): Outcome<string[]>;
	/** A group's members (group phases); not_found when the MA has no such group. */
	groupMembers(maId: string, groupId: string): Outcome<ReadonlySet<string>>;
};

/** The groups side of the port, which the groups service provides. */
export type GroupPort = {
	members(maId: string, groupId: string): Outcome<readonly string[]>;
};

export function rolloutTargets(devices: { matchingIds(maId: string, filter: string): Outcome<string[]> }, groups: GroupPort): RolloutTargets {
	return {
		resolveTarget(maId, target) {
			if (target.kind === 'filter') return devices.matchingIds(maId, target.filter);
			// A group's members in a stable order; only those enrolled now count (the group service keeps members).
			const m = groups.members(maId, target.groupId);
			return m.ok ? ok([...m.value].sort()) : m;
		},
		groupMembers(maId, groupId) {
			const m = groups.members(maId, groupId);
			return m.ok ? ok(new Set(m.value)) : m;
		}
	};
}
