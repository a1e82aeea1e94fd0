/**
 * Which batches wait for a passkey approval (SCOMO-SEC-02), from the console layout's data: their
 * operations are queued on the server but never relayed, so every list shows them as "Awaiting approval"
 * rather than a "Queued" that reads as on its way.
 */
import { page } from '$app/state';

export type ApprovalsData = { count: number; batchIds: string[] };

export function awaitingApproval() {
	return {
		has: (batchId: string | null | undefined) => Boolean(batchId) && ((page.data.approvals as ApprovalsData | undefined)?.batchIds ?? []).includes(batchId!)
	};
}
