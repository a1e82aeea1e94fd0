/**
 * What every part of the operation loop shares: the service dependencies, the store's write pipeline, command
 * signing (required: no command leaves unsigned), the package service and one way to announce changed rows.
 */
import type { ServiceDeps } from '../deps';
import type { GroupCommit } from '../../db/group-commit';
import type { SigningService } from '../../signing';
import type { PackageService } from '../packages';
import type { OperationRow } from '../../db/repos/operations';
import { operationView } from '../views';

export type OperationContext = {
	deps: ServiceDeps;
	db: ServiceDeps['db'];
	log: ServiceDeps['log'];
	writes: GroupCommit;
	signing: SigningService;
	packages: PackageService;
	/** Tells the consoles (operation:updated) about rows as they now are. */
	emitUpdated(rows: readonly OperationRow[]): void;
};

export function operationContext(deps: ServiceDeps, packages: PackageService, writes: GroupCommit, signing: SigningService): OperationContext {
	return {
		deps,
		db: deps.db,
		log: deps.log,
		writes,
		signing,
		packages,
		emitUpdated(rows) {
			for (const r of rows) deps.events.emit('operation:updated', { ...operationView(r), maId: r.maId });
		}
	};
}
