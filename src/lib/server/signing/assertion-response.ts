/**
 * A passkey assertion as the browser returns it (AuthenticationResponseJSON, base64url fields), for every
 * approval the server checks: high-risk batches, rollouts, trust changes. The routes validate its shape.
 */
export type AssertionResponse = {
	id: string;
	rawId: string;
	type: 'public-key';
	response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle?: string };
	clientExtensionResults: Record<string, unknown>;
};
