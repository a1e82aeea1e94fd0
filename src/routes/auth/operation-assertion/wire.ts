/** Bodies of the passkey approval endpoints (SCOMO-SEC-02): the admin page's own calls. */
import * as v from 'valibot';
import { Base64Url, Id } from '$lib/contract/common';

export const ApprovalOptionsBody = v.strictObject({ batchId: Id });

export const ApprovalVerifyBody = v.strictObject({
	batchId: Id,
	response: v.looseObject({
		id: Base64Url(1024),
		rawId: Base64Url(1024),
		type: v.literal('public-key'),
		response: v.looseObject({
			clientDataJSON: Base64Url(8192),
			authenticatorData: Base64Url(4096),
			signature: Base64Url(1024),
			userHandle: v.optional(v.nullable(Base64Url(1024)))
		}),
		clientExtensionResults: v.optional(v.record(v.string(), v.unknown()), {})
	})
});
