/**
 * Jobs: the MA's batches one keyset page at a time, newest first, each summed up in SQL (its steps, how many
 * devices, how many operations in each status), so a page never reads a batch's operations: a batch may
 * address the whole fleet.
 */
import { ok } from '../../../core';
import * as batchesRepo from '../../db/repos/batches';
import * as opsRepo from '../../db/repos/operations';
import type { Outcome } from '../errors';
import { badCursor, clampLimit, decodeCursor, pageOf, type Page, type PageQuery } from '../keyset-cursor';
import type { OperationContext } from './context';

export type JobStep = { seq: number; kind: string; componentId: string | null; version: string | null };
export type JobSummary = {
	batchId: string;
	createdAt: number;
	consentMode: string;
	intent: string;
	steps: JobStep[];
	devices: number;
	/** Operations in each status; their sum is the job's size. */
	statusCounts: Record<string, number>;
	total: number;
};

export function operationJobs({ db }: OperationContext) {
	function jobPage(maId: string, query: PageQuery): Outcome<Page<JobSummary>> {
		const after = query.cursor ? decodeCursor(query.cursor, ['int', 'text']) : null;
		if (query.cursor && !after) return badCursor();
		const limit = clampLimit(query.limit);
		const p = pageOf(batchesRepo.listBatchPage(db, maId, after && { createdAt: after[0], id: after[1] }, limit + 1), limit, (b) => [b.createdAt, b.id]);
		const ids = p.rows.map((b) => b.id);
		const counts = new Map<string, Record<string, number>>();
		for (const c of opsRepo.batchStatusCounts(db, ids)) counts.set(c.batchId, { ...counts.get(c.batchId), [c.status]: Number(c.n) });
		const devices = new Map(opsRepo.batchDeviceCounts(db, ids).map((c) => [c.batchId, Number(c.n)]));
		const steps = new Map<string, JobStep[]>();
		for (const s of opsRepo.batchSteps(db, ids)) steps.set(s.batchId, [...(steps.get(s.batchId) ?? []), s]);
		const items = p.rows.map((b) => {
			const statusCounts = counts.get(b.id) ?? {};
			return {
				batchId: b.id,
				createdAt: b.createdAt,
				consentMode: b.consentMode,
				intent: b.intent,
				steps: (steps.get(b.id) ?? []).sort((x, y) => x.seq - y.seq).map(({ seq, kind, componentId, version }) => ({ seq, kind, componentId, version })),
				devices: devices.get(b.id) ?? 0,
				statusCounts,
				total: Object.values(statusCounts).reduce((a, n) => a + n, 0)
			};
		});
		return ok({ items, nextCursor: p.nextCursor, total: batchesRepo.countBatches(db, maId) });
	}
	return { jobPage };
}
