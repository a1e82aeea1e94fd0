/**
 * Step-up (H2, docs/security.md section 3): actions that widen who can approve high-risk operations need a
 * FRESH user-verified passkey assertion, not just the session cookie, so a stolen cookie cannot add a
 * passkey, join an MA with an approving role or promote someone to one. The challenge is single use, bound
 * to the administrator and to the action it was asked for, and expires with the other WebAuthn challenges.
 */
import { generateAuthenticationOptions, type AuthenticationResponseJSON } from '@simplewebauthn/server';
import { err, ok, type Result } from '../../core/result';
import type { ApiError } from '../../contract/errors';
import type { Db } from '../db/open';
import { challengeOf, consumeChallenge, saveChallenge } from './challenges';
import { getPasskey, listPasskeys, markPasskeyUsed, storedPasskey } from './accounts';
import { verifyAuthentication, type RelyingParty } from './webauthn';

export const STEP_UP_ACTIONS = ['passkey.add', 'invitation.accept', 'member.promote'] as const;
export type StepUpAction = (typeof STEP_UP_ACTIONS)[number];

export type StepUpDeps = { db: Db; rp: RelyingParty; now: number };

const refuse = (message: string) => err<ApiError>({ code: 'step_up_required', message });

/** Request options for the administrator's own passkeys; the challenge remembers who and what for. */
export async function startStepUp(d: StepUpDeps, adminId: string, action: StepUpAction): Promise<Result<object, ApiError>> {
	const mine = listPasskeys(d.db, adminId);
	if (mine.length === 0) return refuse('You have no passkey to confirm this with.');
	const options = await generateAuthenticationOptions({
		rpID: d.rp.rpID,
		userVerification: 'required',
		timeout: 5 * 60 * 1000,
		allowCredentials: mine.map((p) => ({ id: p.id, transports: storedPasskey(p).transports as never[] }))
	});
	saveChallenge(d.db, { challenge: options.challenge, purpose: 'step-up', adminId, data: { action } }, d.now);
	return ok(options);
}

/**
 * Consumes a step-up assertion: it must answer a step-up challenge issued to this administrator for this
 * action, come from one of their own passkeys (optionally: one of `allowed`) and verify with user
 * verification. Every refusal is `step_up_required`, with a sentence saying why.
 */
export async function verifyStepUp(
	d: StepUpDeps,
	adminId: string,
	action: StepUpAction,
	response: AuthenticationResponseJSON | null | undefined,
	allowed?: (passkeyId: string) => boolean
): Promise<Result<{ passkeyId: string }, ApiError>> {
	if (!response) return refuse('This needs a fresh confirmation with your passkey; the session alone is not enough.');
	const challenge = challengeOf(response);
	const stored = challenge ? consumeChallenge(d.db, challenge, 'step-up', d.now) : null;
	if (!stored || stored.adminId !== adminId || stored.data.action !== action)
		return refuse('The passkey confirmation expired, was already used or was asked for something else. Please try again.');
	const passkey = getPasskey(d.db, response.id);
	if (!passkey || passkey.adminId !== adminId) return refuse('Confirm with one of your own passkeys.');
	if (allowed && !allowed(passkey.id)) return refuse('Confirm with a passkey your MA’s devices already trust.');
	const verified = await verifyAuthentication(d.rp, response, stored.challenge, storedPasskey(passkey));
	if (!verified) return refuse('The passkey confirmation could not be verified.');
	markPasskeyUsed(d.db, passkey.id, verified.newCounter, d.now);
	return ok({ passkeyId: passkey.id });
}

/** The step-up assertion a form carried (field `stepUp`, JSON), or null. */
export function stepUpFromForm(form: FormData): AuthenticationResponseJSON | null {
	const raw = form.get('stepUp');
	if (typeof raw !== 'string' || raw.length === 0 || raw.length > 20_000) return null;
	try {
		const parsed = JSON.parse(raw) as AuthenticationResponseJSON;
		return parsed && typeof parsed === 'object' && typeof parsed.id === 'string' && typeof parsed.response === 'object' ? parsed : null;
	} catch {
		return null;
	}
}

const RANK = { viewer: 0, operator: 1, owner: 2 } as const;

/** Does going from `from` to `to` give someone approving power they did not have (H2)? */
export const isPromotion = (from: keyof typeof RANK, to: keyof typeof RANK) => RANK[to] > RANK[from] && RANK[to] >= RANK.operator;
