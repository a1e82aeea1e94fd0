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
import { getMembership, getPasskey, listPasskeys, markPasskeyUsed, storedPasskey } from '../auth/accounts';
import { relyingParty, verifyAuthentication } from '../auth/webauthn';
import { and, eq, notInArray } from 'drizzle-orm';
import * as batchesRepo from '../db/repos/batches';
import { TERMINAL_STATUSES } from '../db/repos/operations';
import { operations } from '../db/schema';
import type { Q } from '../db/repos/types';
import { audit } from '../services/audit';
import { fail, type Outcome } from '../services/errors';
import type { AuditActor } from '../services/deps';
import type { Envelopes } from './envelopes';
import { adminCredentialOf, type Trust } from './trust';

/** A pending high-risk batch as the approval page shows it. */
export type PendingBatch = {
	batchId: string;
	createdAt: number;
	createdBy: string;
	header: BatchHeader;
	challenge: string;
};

export type ApprovalDeps = { db: Q; envelopes: Envelopes; trust: Trust; clock: () => number; origin: () => string };

const APPROVER_ROLES = new Set(['owner', 'operator']);

const hasOpenOperation = (db: Q, batchId: string) =>
	db
		.select({ id: operations.id })
		.from(operations)
		.where(and(eq(operations.batchId, batchId), notInArray(operations.status, [...TERMINAL_STATUSES])))
		.limit(1)
		.all().length > 0;

export function createApprovals(d: ApprovalDeps) {
	function pending(maId: string): PendingBatch[] {
		// A batch whose operations were all cancelled or expired meanwhile has nothing left to approve.
		return d.envelopes.pendingOf(maId).filter((row) => hasOpenOperation(d.db, row.batchId)).map((row) => {
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

	function mayApprove(maId: string, adminId: string): boolean {
		const m = getMembership(d.db, adminId, maId);
		return Boolean(m && APPROVER_ROLES.has(m.role));
	}

	/** WebAuthn request options whose challenge is the batch digest, for this administrator's passkeys. */
	function options(maId: string, adminId: string, batchId: string) {
		if (!mayApprove(maId, adminId)) return fail('forbidden', 'only owners and operators approve operations');
		const p = pendingOne(maId, batchId);
		if (!p.ok) return p;
		const rp = relyingParty(d.origin());
		const allow = listPasskeys(d.db, adminId).filter((k) => adminCredentialOf(k.id, k.publicKey) !== null);
		if (allow.length === 0) return fail('forbidden', 'none of your passkeys uses an algorithm devices can verify (ES256 or EdDSA)');
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
		response: {
			id: string;
			rawId: string;
			type: 'public-key';
			response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle?: string };
			clientExtensionResults: Record<string, unknown>;
		}
	): Promise<Outcome<{ batchId: string }>> {
		if (!mayApprove(maId, actor.id)) return fail('forbidden', 'only owners and operators approve operations');
		const p = pendingOne(maId, batchId);
		if (!p.ok) return p;
		const passkey = getPasskey(d.db, response.id);
		if (!passkey || passkey.adminId !== actor.id) return fail('forbidden', 'this passkey is not one of yours');
		if (!adminCredentialOf(passkey.id, passkey.publicKey)) return fail('forbidden', 'devices cannot verify this passkey’s algorithm');
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
