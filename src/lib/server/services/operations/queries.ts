/** Reading operations: by correlator or ID within one MA (another MA's reads as missing), lists, packages. */
import { isTerminalStatus, ok, type OperationStatus } from '../../../core';
import * as opsRepo from '../../db/repos/operations';
import * as pkgs from '../../db/repos/packages';
import type { OperationRow } from '../../db/repos/operations';
import { fail, type Outcome } from '../errors';
import { decodeOperationCursor } from '../operation-cursor';
import { badCursor, clampLimit, pageOf } from '../keyset-cursor';
import { operationView, type OperationView } from '../views';
import type { OperationContext } from './context';

export type OperationListFilter = { deviceId?: string; status?: string; batchId?: string; limit?: number };
export type OperationPageQuery = OperationListFilter & { cursor?: string };
/** One page of the operations list: `nextCursor` fetches the next one (null on the last); `total` counts every match. */
export type OperationPage = { items: OperationView[]; nextCursor: string | null; total: number };


export function operationQueries({ db }: OperationContext) {
	/**
	 * One way to address an operation: its correlator (what the device reports) or its ID (what create
	 * returns next to it). Another MA's operation is absent, like a missing one (SCOMO-ADC-3).
	 */
	function find(maId: string, ref: string): OperationRow | null {
		const op = opsRepo.getOperationByCorrelator(db, ref) ?? opsRepo.getOperation(db, ref);
		return op && op.maId === maId ? op : null;
	}

	function get(maId: string, ref: string): Outcome<OperationView> {
		const op = find(maId, ref);
		if (!op) return fail('not_found', 'operation not found');
		return ok(operationView(op));
	}

	/** The newest operations matching the filter (at most `limit`, 1–1000): the first page without its total. */
	function list(maId: string, f: OperationListFilter): OperationView[] {
		return opsRepo
			.listOperations(db, { maId, deviceId: f.deviceId, status: f.status, batchId: f.batchId, limit: clampLimit(f.limit) })
			.map(operationView);
	}

	/** One keyset page of the operations matching the filter, newest first, with the total of all matches. */
	function page(maId: string, query: OperationPageQuery): Outcome<OperationPage> {
		const after = query.cursor ? decodeOperationCursor(query.cursor) : null;
		if (query.cursor && !after) return badCursor();
		const filter = { maId, deviceId: query.deviceId, status: query.status, batchId: query.batchId };
		const limit = clampLimit(query.limit);
		const page = pageOf(opsRepo.listOperations(db, { ...filter, limit: limit + 1 }, after), limit, (r) => [r.createdAt, r.seq, r.id]);
		return ok({ items: page.rows.map(operationView), nextCursor: page.nextCursor, total: opsRepo.countOperations(db, filter) });
	}

	/** The overview's figures: unfinished operations, and those that ended unsuccessfully since `since` (counted in SQL). */
	function figures(maId: string, since: number): { open: number; unsuccessfulSince: number } {
		return { open: opsRepo.countOpenOperations(db, maId), unsuccessfulSince: opsRepo.countUnsuccessfulSince(db, maId, since) };
	}

	/** The latest `limit` finished operations (an honest "latest N"; the operations page lists them all). */
	function latestResults(maId: string, limit: number): OperationView[] {
		return opsRepo.latestFinishedOperations(db, maId, limit).map(operationView);
	}

	/** The package version an operation of this device carries (for download tokens). */
	function packageVersionFor(deviceId: string, correlator: string) {
		const op = opsRepo.getOperationByCorrelator(db, correlator);
		if (!op || op.deviceId !== deviceId) return fail('not_found', 'no such operation for this device');
		if (isTerminalStatus(op.status as OperationStatus)) return fail('conflict', `the operation is ${op.status}`);
		if (!op.packageVersionId) return fail('not_found', 'this operation carries no package');
		const v = pkgs.getPackageVersionById(db, op.packageVersionId);
		if (!v) return fail('not_found', 'package version not found');
		return ok(v);
	}

	return { find, get, list, page, figures, latestResults, packageVersionFor };
}
