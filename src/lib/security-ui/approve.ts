/**
 * Browser side of a passkey approval (SCOMO-SEC-02): ask the server for request options whose challenge is
 * the batch digest, let the administrator's passkey sign it (@simplewebauthn/browser), send the assertion.
 */
import { browserSupportsWebAuthn, startAuthentication } from '@simplewebauthn/browser';

export type ApprovalOutcome = { ok: true } | { ok: false; message: string };

async function post(path: string, body: unknown): Promise<{ ok: boolean; data: Record<string, unknown> }> {
	const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
	return { ok: res.ok, data };
}

const serverMessage = (data: Record<string, unknown>, fallback: string) => (data.error as { message?: string } | undefined)?.message ?? fallback;

/** Options from the server, the passkey's assertion over their challenge, and the assertion back. */
export async function passkeyApproval(optionsPath: string, verifyPath: string, body: Record<string, unknown>): Promise<ApprovalOutcome> {
	if (!browserSupportsWebAuthn()) return { ok: false, message: 'This browser does not support passkeys.' };
	const options = await post(optionsPath, body);
	if (!options.ok) return { ok: false, message: serverMessage(options.data, 'The approval could not start.') };
	let response;
	try {
		response = await startAuthentication({ optionsJSON: options.data as never });
	} catch (e) {
		const name = (e as { name?: string })?.name ?? '';
		if (name === 'NotAllowedError' || name === 'AbortError') return { ok: false, message: 'The passkey prompt was closed or timed out. Nothing was approved.' };
		return { ok: false, message: `The passkey could not be used: ${(e as Error)?.message ?? String(e)}` };
	}
	const done = await post(verifyPath, { ...body, response });
	return done.ok ? { ok: true } : { ok: false, message: serverMessage(done.data, 'The approval was refused.') };
}

export const approveBatch = (batchId: string) => passkeyApproval('/auth/operation-assertion/options', '/auth/operation-assertion/verify', { batchId });

/** An owner co-signs the MA's pending trust change (new approving passkeys, a weaker policy). */
export const approveTrustChange = () => passkeyApproval('/auth/trust-assertion/options', '/auth/trust-assertion/verify', {});
