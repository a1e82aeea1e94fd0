/**
 * The device is the enforcer of passkey-bound operations (SCOMO-SEC-02, docs/security.md section 3).
 *
 * A trust statement is signed by the MA's keys, which the server holds; a server whose database (or host)
 * is compromised can therefore sign anything. So once a device has pinned a non-empty set of approving
 * passkeys, a newer statement that changes that set, changes the relying party, or weakens the high-risk
 * policy (drops a kind, raises the fan-out threshold) is taken only when a passkey the device ALREADY
 * trusts co-signed it: a WebAuthn assertion over grantChallenge(grant), where the grant is exactly the new
 * policy, credentials and RP under a new epoch. Statements may carry a chain of such links, so a device
 * that missed several approved changes walks them in epoch order, each signed by a credential of the step
 * before. A stricter policy needs nobody's approval. The approver set never becomes empty once it was not:
 * an empty set would otherwise mean "no approval needed".
 *
 * Pure: this plans the walk and checks every byte of the assertions (webauthn-assertion.ts); the caller
 * verifies the returned signatures with WebCrypto (device/verify-crypto.ts).
 */
import { canonicalJson } from './envelope-canonical';
import { b64u, utf8 } from './envelope-bytes';
import type { AdminCredential, HighRiskPolicy, TrustGrant, TrustLink, TrustStatement } from './envelope';
import type { Sha256 } from './merkle-sha256';
import { err, ok, type Result } from './result';
import { checkAssertion, type CheckedAssertion } from './webauthn-assertion';

/** Links a statement carries at most (older devices re-enroll): approved changes are rare human acts. */
export const MAX_TRUST_LINKS = 32;

/** The guarded part of a statement, as a grant (epoch 0 when no passkey approved a change yet). */
export const grantOf = (s: Pick<TrustStatement, 'maId' | 'policy' | 'credentials' | 'rp' | 'epoch'>): TrustGrant => ({
	v: 1,
	maId: s.maId,
	epoch: s.epoch ?? 0,
	policy: s.policy,
	credentials: s.credentials,
	rp: s.rp
});

/** The WebAuthn challenge an approver's passkey signs for a grant (base64url SHA-256). */
export const grantChallenge = (sha256: Sha256, grant: TrustGrant) => b64u(sha256(utf8(`scomo-trust-grant:v1:${canonicalJson(grant)}`)));

/** Does `to` approve fewer batches than `from` (a kind dropped, or a higher fan-out threshold)? */
export const policyWeakens = (from: HighRiskPolicy, to: HighRiskPolicy) =>
	to.fanout > from.fanout || from.kinds.some((k) => !to.kinds.includes(k));

const credentialKey = (cs: readonly AdminCredential[]) =>
	canonicalJson([...cs].sort((a, b) => (a.credentialId < b.credentialId ? -1 : a.credentialId > b.credentialId ? 1 : 0)));

export const sameCredentials = (a: readonly AdminCredential[], b: readonly AdminCredential[]) => credentialKey(a) === credentialKey(b);

/** What about going from `from` to `to` needs a passkey's co-signature; null when nothing does. */
export function changeNeedingApproval(from: Omit<TrustGrant, 'epoch' | 'v'>, to: Omit<TrustGrant, 'epoch' | 'v'>): string | null {
	if (!sameCredentials(from.credentials, to.credentials)) return 'changes the approving passkeys';
	if (from.rp.rpId !== to.rp.rpId || from.rp.origin !== to.rp.origin) return 'changes the relying party';
	if (policyWeakens(from.policy, to.policy)) return 'weakens the high-risk policy';
	return null;
}

/** One passkey signature the caller must verify for the walk to hold. */
export type GrantSignatureCheck = { credential: AdminCredential; checked: CheckedAssertion; epoch: number };

/**
 * May a device holding `pinned` take `next` (already known to be newer and signed by a pinned MA key)?
 * ok(checks): yes, provided every listed passkey signature verifies; err(reason): no.
 */
export function planTrustUpdate(
	sha256: Sha256,
	pinned: TrustStatement,
	next: TrustStatement,
	links: readonly TrustLink[] = []
): Result<GrantSignatureCheck[], string> {
	if (next.maId !== pinned.maId) return err('the statement is for another MA');
	// Nothing pinned to protect yet (an MA run with API tokens only, before its first passkey): take it.
	if (pinned.credentials.length === 0) return ok([]);
	if (next.credentials.length === 0) return err('it would leave no approving passkey');
	if (links.length > MAX_TRUST_LINKS) return err('it carries too many approval links');
	let current = grantOf(pinned);
	const checks: GrantSignatureCheck[] = [];
	for (const link of [...links].sort((a, b) => a.grant.epoch - b.grant.epoch)) {
		const g = link.grant;
		if (g.epoch <= current.epoch) continue; // already walked (or older than what we hold)
		if (g.maId !== pinned.maId) return err('an approval link names another MA');
		if (g.credentials.length === 0) return err('an approval link leaves no approving passkey');
		const credential = current.credentials.find((c) => c.credentialId === link.approval.credentialId);
		if (!credential) return err(`the change to epoch ${g.epoch} is not approved by a passkey this device trusts`);
		const checked = checkAssertion(sha256, link.approval, { challenge: grantChallenge(sha256, g), origin: current.rp.origin, rpId: current.rp.rpId });
		if (!checked.ok) return err(`the approval of epoch ${g.epoch} is invalid: ${checked.error}`);
		checks.push({ credential, checked: checked.value, epoch: g.epoch });
		current = g;
	}
	const nextEpoch = next.epoch ?? 0;
	if (nextEpoch !== current.epoch) return err(`it claims approval epoch ${nextEpoch}, the approvals reach ${current.epoch}`);
	const problem = changeNeedingApproval(current, next);
	if (problem) return err(`it ${problem} without an approval by a passkey this device trusts`);
	return ok(checks);
}
