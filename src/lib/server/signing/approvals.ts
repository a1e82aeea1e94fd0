/**
 * Passkey-bound operations (SCOMO-SEC-02): an administrator approves a pending high-risk batch with their
 * own passkey. The WebAuthn challenge IS the digest of the signed batch header (core approvalChallenge), so
 * the assertion binds the passkey to exactly these operations, devices and expiry. The server checks it
 * (with the stored credential and its counter) only to refuse bad approvals early; every device checks it
 * again on its own against the credentials its MA certified, so a server that forges an approval gains
 * nothing.
 */
import { approvalChallenge, type AdminApproval, type BatchHeader } from '../../core/envelope';
import { sha256 } from '../../core/merkle-sha256';
import { ok } from '../../core';
import { adminActor, getPasskey, listPasskeys, markPasskeyUsed, storedPasskey } from '../auth/accounts';
import { authorizeResource } from '../authz';
import * as masRepo from '../db/repos/mas';
import { needsFourEyes, parseMaSettings } from '../services/ma-settings';
import { relyingParty, verifyAuthentication } from '../auth/webauthn';
import * as batchesRepo from '../db/repos/batches';
import { batchHasOpenOperation } from '../db/repos/operations';
import type { Q } from '../db/repos/types';
import { audit } from '../services/audit';
import { fail, type Outcome } from '../services/errors';
import type { AuditActor } from '../services/deps';
import type { Envelopes } from './envelopes';
import type { Trust } from './trust';
import type { AssertionResponse } from './assertion-response';

/** A pending high-risk batch as the approval page shows it. */
export type PendingBatch = {
	batchId: string;
	createdAt: number;
	createdBy: string;
	header: BatchHeader;
	challenge: string;
};

export type ApprovalDeps = { db: Q; envelopes: Envelopes; trust: Trust; clock: () => number; origin: () => string };

export function createApprovals(d: ApprovalDeps) {
	function pending(maId: string): PendingBatch[] {
		// A batch whose operations were all cancelled or expired meanwhile has nothing left to approve.
		return d.envelopes.pendingOf(maId).filter((row) => batchHasOpenOperation(d.db, row.batchId)).map((row) => {
			const header = JSON.parse(row.header) as BatchHeader;
			return {
				batchId: row.batchId,
				createdAt: row.createdAt,
				createdBy: batchesRepo.getBatch(d.db, row.batchId)?.createdBy ?? '',
				header,
				challenge: approvalChallenge(sha256, header)
			};
		});
	}

	function pendingOne(maId: string, batchId: string): Outcome<PendingBatch> {
		const p = pending(maId).find((b) => b.batchId === batchId);
		return p ? ok(p) : fail('not_found', 'no high-risk batch awaits approval under this ID');
	}

	/** The one policy decides who approves this batch (core/policy.ts); another MA's batch is not_found like a missing one. */
	const mayApprove = (maId: string, adminId: string, batchId: string) =>
		authorizeResource(d.db, { actor: adminActor(d.db, adminId), maId }, 'approve', 'batch', batchId);

	/** Only passkeys the MA's devices already trust can approve (the statement is certified, H1/H2). */
	const certified = (maId: string) => new Set(d.trust.current(maId).statement.credentials.map((c) => c.credentialId));

	/**
	 * Four eyes (H2): when the MA's settings ask for it, whoever created a batch may not approve it too, so
	 * one stolen session or one insider cannot both ask for and approve a mass or destructive operation.
	 */
	function fourEyesProblem(maId: string, adminId: string, p: PendingBatch) {
		const settings = parseMaSettings(masRepo.getMa(d.db, maId)?.settings);
		const policy = d.trust.current(maId).statement.policy;
		if (p.createdBy !== `admin:${adminId}` || !needsFourEyes(settings.fourEyes, p.header.leafCount, policy.fanout)) return null;
		return fail('four_eyes_required', 'you created this batch; under this MA’s four-eyes setting another owner or operator must approve it');
	}

	/** WebAuthn request options whose challenge is the batch digest, for this administrator's passkeys. */
	function options(maId: string, adminId: string, batchId: string) {
		const may = mayApprove(maId, adminId, batchId);
		if (!may.ok) return may;
		const p = pendingOne(maId, batchId);
		if (!p.ok) return p;
		const rp = relyingParty(d.origin());
		const trusted = certified(maId);
		const allow = listPasskeys(d.db, adminId).filter((k) => trusted.has(k.id));
		if (allow.length === 0)
			return fail('forbidden', 'none of your passkeys is one the devices trust yet (an owner approves new passkeys under High-risk; ES256 or EdDSA only)');
		const fourEyes = fourEyesProblem(maId, adminId, p.value);
		if (fourEyes) return fourEyes;
		return ok({
			challenge: p.value.challenge,
			rpId: rp.rpID,
			timeout: 5 * 60 * 1000,
			userVerification: 'required' as const,
			allowCredentials: allow.map((k) => ({ id: k.id, type: 'public-key' as const, transports: storedPasskey(k).transports as never[] }))
		});
	}

	/**
	 * Verifies the administrator's assertion over the batch digest and stores it with the batch. The caller
	 * then relays the batch (operations.relayBatch).
	 */
	async function approve(
		maId: string,
		actor: AuditActor & { type: 'admin' },
		batchId: string,
		response: AssertionResponse
	): Promise<Outcome<{ batchId: string }>> {
		const may = mayApprove(maId, actor.id, batchId);
		if (!may.ok) return may;
		const p = pendingOne(maId, batchId);
		if (!p.ok) return p;
		const fourEyes = fourEyesProblem(maId, actor.id, p.value);
		if (fourEyes) {
			audit(d.db, d.clock(), { maId, actor, action: 'batch.approve', targetType: 'batch', targetId: batchId, outcome: 'denied', detail: { reason: 'four_eyes_required' } });
			return fourEyes;
		}
		const passkey = getPasskey(d.db, response.id);
		if (!passkey || passkey.adminId !== actor.id) return fail('forbidden', 'this passkey is not one of yours');
		if (!certified(maId).has(passkey.id))
			return fail('forbidden', 'this passkey is not one the devices trust yet; an owner must approve it first (High-risk page)');
		const verified = await verifyAuthentication(relyingParty(d.origin()), response as never, p.value.challenge, storedPasskey(passkey));
		const now = d.clock();
		if (!verified) {
			audit(d.db, now, { maId, actor, action: 'batch.approve', targetType: 'batch', targetId: batchId, outcome: 'denied' });
			return fail('forbidden', 'the passkey assertion does not verify for this batch');
		}
		const assertion: AdminApproval = {
			credentialId: passkey.id,
			authenticatorData: response.response.authenticatorData,
			clientDataJSON: response.response.clientDataJSON,
			signature: response.response.signature
		};
		const stored = d.db.transaction((tx) => {
			markPasskeyUsed(tx, passkey.id, verified.newCounter, now);
			if (!d.envelopes.markApproved(maId, batchId, assertion, actor.id)) return false;
			audit(tx, now, {
				maId,
				actor,
				action: 'batch.approve',
				targetType: 'batch',
				targetId: batchId,
				outcome: 'ok',
				detail: { credentialId: passkey.id, devices: p.value.header.leafCount, kinds: p.value.header.operations.map((o) => o.kind) }
			});
			return true;
		});
		if (!stored) return fail('conflict', 'the batch was approved or changed meanwhile');
		// Devices must learn this credential with the commands it approved.
		d.trust.invalidate(maId);
		return ok({ batchId });
	}

	return { pending, pendingOne, options, approve };
}

export type Approvals = ReturnType<typeof createApprovals>;
