/** Bodies of the rollout approval endpoints (SCOMO-SEC-02, issue #17): the rollout page's own calls. */
import * as v from 'valibot';
import { Id } from '$lib/contract/common';
import { ApprovalVerifyBody } from '../../../../auth/operation-assertion/wire';

export const RolloutApprovalOptionsBody = v.strictObject({ rolloutId: Id });

/** The same assertion shape as a batch approval's, for a rollout. */
export const RolloutApprovalVerifyBody = v.strictObject({ rolloutId: Id, response: ApprovalVerifyBody.entries.response });
