/**
 * The operation loop on the server, composed from its parts (operations/): create (authorised by the caller,
 * checked against ADC-3, persisted BEFORE relaying), delivery (relay or keep queued, acks, withdrawals),
 * results (progress and results idempotent by correlator, through the group commit), cancel (1462), expiry
 * (1457) and queries.
 */
import type { PackageService } from './packages';
import type { SigningService } from '../signing';
import type { ServiceDeps } from './deps';
import type { GroupCommit } from '../db/group-commit';
import { operationContext } from './operations/context';
import { operationCreation } from './operations/create';
import { operationDelivery } from './operations/delivery';
import { operationResults } from './operations/results';
import { operationCancel } from './operations/cancel';
import { operationExpiry } from './operations/expiry';
import { operationQueries } from './operations/queries';
import { operationJobs } from './operations/jobs';

export type { OperationWarning, CreatedOperations, CreateOptions } from './operations/create';
export type { OperationListFilter } from './operations/queries';
export type { JobSummary, JobStep } from './operations/jobs';

export function createOperationService(deps: ServiceDeps, packages: PackageService, writes: GroupCommit, signing: SigningService) {
	const ctx = operationContext(deps, packages, writes, signing);
	const delivery = operationDelivery(ctx);
	const queries = operationQueries(ctx);
	const { create } = operationCreation(ctx, delivery.relayNew);
	const { cancel } = operationCancel(ctx, queries.find, delivery.withdraw);
	const results = operationResults(ctx);
	const expiry = operationExpiry(ctx);
	return {
		create,
		relayBatch: delivery.relayBatch,
		deliverOpen: delivery.deliverOpen,
		markDelivered: delivery.markDelivered,
		recordProgress: results.recordProgress,
		progressOf: results.progressOf,
		recordResult: results.recordResult,
		byCorrelator: results.byCorrelator,
		cancel,
		expireDue: expiry.expireDue,
		startExpirySweeper: expiry.startExpirySweeper,
		get: queries.get,
		list: queries.list,
		page: queries.page,
		jobPage: operationJobs(ctx).jobPage,
		figures: queries.figures,
		latestResults: queries.latestResults,
		packageVersionFor: queries.packageVersionFor
	};
}

export type OperationService = ReturnType<typeof createOperationService>;
