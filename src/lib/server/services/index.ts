/**
 * All services, built once per process from the same dependencies. Routes and socket handlers reach
 * them through the app context (ctx.services).
 */
import { createCatalogService } from './catalog';
import { createDeviceRequestService } from './device-requests';
import { createDeviceService } from './devices';
import { createEnrollmentService } from './enrollment';
import { createInventoryService } from './inventory';
import { createMaService } from './mas';
import { createOperationService } from './operations';
import { createPackageService } from './packages';
import type { ServiceDeps } from './deps';

export function createServices(deps: ServiceDeps) {
	const packages = createPackageService(deps);
	const inventory = createInventoryService(deps);
	const operations = createOperationService(deps, packages);
	return {
		mas: createMaService(deps),
		enrollment: createEnrollmentService(deps),
		packages,
		inventory,
		devices: createDeviceService(deps, inventory),
		operations,
		catalog: createCatalogService(deps, operations),
		deviceRequests: createDeviceRequestService(deps, packages, operations)
	};
}

export type Services = ReturnType<typeof createServices>;
export type { ServiceDeps, AuditActor } from './deps';
export type { Relay } from './relay';
export { OFFLINE_RELAY } from './relay';
