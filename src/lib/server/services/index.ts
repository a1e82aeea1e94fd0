/**
 * All services, built once per app (createApp) from the same dependencies. Routes reach them as
 * event.locals.app.services, socket handlers through the app they were attached with.
 */
import { createCatalogService } from './catalog';
import { createDeviceRequestService } from './device-requests';
import { createDeviceService } from './devices';
import { createDecommissionService } from './decommission';
import { createEnrollmentService } from './enrollment';
import { createGroupService } from './groups';
import { createInventoryService } from './inventory';
import { createMaService } from './mas';
import { createOperationService } from './operations';
import { createPackageService } from './packages';
import type { ServiceDeps } from './deps';
import { createSigningService } from '../signing';
import { createGroupCommit } from '../db/group-commit';
import { createRolloutService } from './rollouts/service';
import { createRolloutScheduler } from './rollouts/scheduler';
import { rolloutTargets } from './rollouts/targets';

export function createServices(deps: ServiceDeps) {
	// SCOMO-SEC-01: command signing first; operations seal every command set they relay with it.
	const signing = createSigningService(deps);
	// SCOMO-SEC-03: package versions are signed on upload with the MA's current command-signing key.
	const packages = createPackageService(deps, (maId) => signing.packageSigner(maId));
	const inventory = createInventoryService(deps);
	// One write pipeline for the store: the writes of one event-loop turn share a transaction.
	const writes = createGroupCommit(deps.db);
	const operations = createOperationService(deps, packages, writes, signing);
	const decommission = createDecommissionService(deps, (maId, message) => signing.keys.signCurrent(maId, message));
	const devices = createDeviceService(deps, inventory);
	// Device groups (issue #17); rollouts target a group's devices (groups.deviceIdsOf).
	const groups = createGroupService(deps, devices);
	// Staged rollouts: targets are a filter or a group.
	const targets = rolloutTargets(devices, { members: groups.deviceIdsOf });
	const rollouts = createRolloutService(deps, operations, signing, targets, packages);
	const rolloutScheduler = createRolloutScheduler(deps, operations, targets, rollouts.transitions);
	return {
		signing: {
			...signing,
			// SCOMO-SEC-03: after a key rotation the MA's package versions are signed again with the new key.
			rotate: (...a: Parameters<typeof signing.rotate>) => {
				const r = signing.rotate(...a);
				packages.resignAll(a[0]);
				return r;
			}
		},
		mas: createMaService(deps),
		enrollment: createEnrollmentService(deps, decommission.supersede),
		packages,
		inventory,
		devices,
		decommission,
		groups,
		rollouts,
		rolloutScheduler,
		operations,
		writes,
		catalog: createCatalogService(deps, operations),
		deviceRequests: createDeviceRequestService(deps, packages, operations)
	};
}

export type Services = ReturnType<typeof createServices>;
export type { ServiceDeps, AuditActor } from './deps';
export type { Relay } from './relay';
export { OFFLINE_RELAY } from './relay';
