/**
 * Approving a change of an MA's approvers or a weaker high-risk policy (H1, H2; docs/security.md section 3).
 *
 * What the database asks for (new passkeys of owners and operators, a promoted member's passkeys, a removed
 * passkey, fewer high-risk kinds, a higher fan-out threshold) reaches devices only when an OWNER co-signs
 * it: a WebAuthn assertion, with user verification, by a passkey the MA's devices already trust, over
 * grantChallenge(grant). The grant is stored as a link of the trust chain (ma_trust_grants) and every later
 * statement carries it; each device checks the assertion itself (core/trust-grant.ts). The console shows
 * the pending change to every owner (and the audit log records who asked and who approved).
 */
import { grantChallenge, grantOf, changeNeedingApproval } from '../../core/trust-grant';
import type { AdminApproval, AdminCredential, HighRiskPolicy, TrustGrant } from '../../core/envelope';
import { sha256 } from '../../core/merkle-sha256';
import { ok } from '../../core';
import { adminActor, getPasskey, markPasskeyUsed, storedPasskey } from '../auth/accounts';
import { relyingParty, verifyAuthentication } from '../auth/webauthn';
import { authorizeCollection } from '../authz';
import * as passkeysRepo from '../db/repos/passkeys';
import * as trustRepo from '../db/repos/trust';
import type { Q } from '../db/repos/types';
import { audit } from '../services/audit';
import { fail, type Outcome } from '../services/errors';
import type { Trust } from './trust';
import type { AssertionResponse } from './assertion-response';

/** A passkey as the approval page names it. */
export type NamedCredential = { credentialId: string; passkeyName: string; adminName: string };

/** The change an owner is asked to approve, with what it means in words the page shows. */
export type PendingTrustChange = {
	grant: TrustGrant;
	challenge: string;
	added: NamedCredential[];
	removed: NamedCredential[];
	policy: { from: HighRiskPolicy; to: HighRiskPolicy } | null;
	rpChanged: boolean;
	/** Set when devices could never take this change (e.g. it leaves no approving passkey). */
	blocked: string | null;
};

export type TrustChangeDeps = { db: Q; trust: Trust; clock: () => number; origin: () => string };

export function createTrustChanges(d: TrustChangeDeps) {
	function names(ids: readonly string[]): Map<string, NamedCredential> {
		const out = new Map<string, NamedCredential>();
		for (const id of ids) {
			const row = passkeysRepo.getPasskeyName(d.db, id);
			out.set(id, { credentialId: id, passkeyName: row?.name ?? '(deleted passkey)', adminName: row?.adminName ?? '(unknown)' });
		}
		return out;
	}

	const lastEpoch = (maId: string) => trustRepo.lastTrustGrantEpoch(d.db, maId);

	/** The change the database asks for and the devices would only take co-signed; null when there is none. */
	function pending(maId: string): PendingTrustChange | null {
		const issued = d.trust.current(maId).statement;
		// Before any approver is pinned, changes flow without approval (trust on first use).
		if (issued.credentials.length === 0) return null;
		const want = d.trust.desired(maId);
		const from = grantOf(issued);
		if (!changeNeedingApproval(from, { ...want, maId })) return null;
		const grant: TrustGrant = { v: 1, maId, epoch: Math.max(from.epoch, lastEpoch(maId)) + 1, ...want };
		const ids = (cs: AdminCredential[]) => new Set(cs.map((c) => c.credentialId));
		const before = ids(from.credentials);
		const after = ids(want.credentials);
		const named = names([...before, ...after]);
		const policyChanged = JSON.stringify(from.policy) !== JSON.stringify(want.policy);
		return {
			grant,
			challenge: grantChallenge(sha256, grant),
			added: [...after].filter((id) => !before.has(id)).map((id) => named.get(id)!),
			removed: [...before].filter((id) => !after.has(id)).map((id) => named.get(id)!),
			policy: policyChanged ? { from: from.policy, to: want.policy } : null,
			rpChanged: from.rp.rpId !== want.rp.rpId || from.rp.origin !== want.rp.origin,
			blocked: want.credentials.length === 0 ? 'It would leave no approving passkey; devices refuse that. Keep at least one owner or operator passkey.' : null
		};
	}

	/** The one policy decides (core/policy.ts: approving a trust change is for owners). */
	const mayApprove = (maId: string, adminId: string) =>
		authorizeCollection({ actor: adminActor(d.db, adminId), maId }, 'approve', 'trust-change');

	/** The passkeys of this owner that the MA's devices trust now: only they can co-sign. */
	const trustedOf = (maId: string, adminId: string) => {
		const trusted = new Set(d.trust.current(maId).statement.credentials.map((c) => c.credentialId));
		return passkeysRepo.listPasskeysOfAdmins(d.db, [adminId]).filter((p) => trusted.has(p.id));
	};

	function options(maId: string, adminId: string) {
		const may = mayApprove(maId, adminId);
		if (!may.ok) return may;
		const p = pending(maId);
		if (!p) return fail('not_found', 'no trust change awaits approval');
		if (p.blocked) return fail('conflict', p.blocked);
		const mine = trustedOf(maId, adminId);
		if (mine.length === 0) return fail('forbidden', 'none of your passkeys is one the devices already trust; another owner must approve');
		return ok({
			challenge: p.challenge,
			rpId: relyingParty(d.origin()).rpID,
			timeout: 5 * 60 * 1000,
			userVerification: 'required' as const,
			allowCredentials: mine.map((k) => ({ id: k.id, type: 'public-key' as const, transports: storedPasskey(k).transports as never[] }))
		});
	}

	/** Verifies the owner's assertion over the pending grant and stores it as the next link of the chain. */
	async function approve(maId: string, adminId: string, response: AssertionResponse): Promise<Outcome<{ epoch: number }>> {
		const may = mayApprove(maId, adminId);
		if (!may.ok) return may;
		const p = pending(maId);
		if (!p) return fail('not_found', 'no trust change awaits approval');
		if (p.blocked) return fail('conflict', p.blocked);
		const actor = { type: 'admin' as const, id: adminId };
		const passkey = getPasskey(d.db, response.id);
		if (!passkey || passkey.adminId !== adminId || !trustedOf(maId, adminId).some((k) => k.id === passkey.id))
			return fail('forbidden', 'approve with one of your passkeys that the devices already trust');
		// The pending change is recomputed: an assertion over a change that moved on meanwhile does not verify.
		const verified = await verifyAuthentication(relyingParty(d.origin()), response as never, p.challenge, storedPasskey(passkey));
		const now = d.clock();
		if (!verified) {
			audit(d.db, now, { maId, actor, action: 'trust.approve', targetType: 'trust', targetId: String(p.grant.epoch), outcome: 'denied' });
			return fail('forbidden', 'the passkey assertion does not verify for this change (it may have changed meanwhile; reload)');
		}
		const approval: AdminApproval = {
			credentialId: passkey.id,
			authenticatorData: response.response.authenticatorData,
			clientDataJSON: response.response.clientDataJSON,
			signature: response.response.signature
		};
		d.db.transaction((tx) => {
			markPasskeyUsed(tx, passkey.id, verified.newCounter, now);
			trustRepo.insertTrustGrant(tx, { maId, epoch: p.grant.epoch, grant: JSON.stringify(p.grant), approval: JSON.stringify(approval), approvedBy: adminId, createdAt: now });
			audit(tx, now, {
				maId,
				actor,
				action: 'trust.approve',
				targetType: 'trust',
				targetId: String(p.grant.epoch),
				outcome: 'ok',
				detail: { credentialId: passkey.id, added: p.added.map((c) => c.credentialId), removed: p.removed.map((c) => c.credentialId), policy: p.policy?.to ?? null }
			});
		});
		d.trust.invalidate(maId);
		return ok({ epoch: p.grant.epoch });
	}

	return { pending, options, approve };
}

export type TrustChanges = ReturnType<typeof createTrustChanges>;
