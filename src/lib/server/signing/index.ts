/**
 * Command security on the server (SCOMO-SEC-01, SEC-02), one service built with the others: the MAs'
 * signing keys under the master key, trust statements, signed batch envelopes (one signature per fan-out),
 * passkey approvals of high-risk batches and rollouts, device revocation and the check of signed device results.
 * docs/security.md explains the design.
 */
import type { OperationResultMsg } from '../../contract';
import { withdrawMessage } from '../../core/envelope';
import type { Q } from '../db/repos/types';
import type { ServiceDeps } from '../services/deps';
import { createApprovals } from './approvals';
import { createEnvelopes } from './envelopes';
import { createMaKeys, DEFAULT_ROTATION_OVERLAP_MS } from './ma-keys';
import { loadOrCreateMasterKey } from './master-key';
import { verifyDeviceResult } from './results';
import { createRevocation } from './revocation';
import { createRolloutApprovals } from './rollout-approvals';
import { createTrust } from './trust';
import { createTrustChanges } from './trust-changes';
import { audit } from '../services/audit';
import type { AuditActor } from '../services/deps';

export function createSigningService(deps: ServiceDeps) {
	const db = deps.db as unknown as Q;
	let master: Buffer | null = null;
	// Read (or created) on first use, so tools that never sign never touch the key file.
	const masterKey = () => (master ??= loadOrCreateMasterKey(deps.config().masterKeyFile));
	const keys = createMaKeys({ db, masterKey, clock: deps.clock });
	const origin = () => deps.config().origin;
	const trust = createTrust({ db, keys, clock: deps.clock, origin });
	const envelopes = createEnvelopes({ db, keys, trust, clock: deps.clock });
	const approvals = createApprovals({ db, envelopes, trust, clock: deps.clock, origin });
	const rolloutApprovals = createRolloutApprovals({ db, trust, clock: deps.clock, origin });
	const trustChanges = createTrustChanges({ db, trust, clock: deps.clock, origin });
	const revocation = createRevocation(deps);

	/**
	 * Key rotation: a new current key; the old one stays valid for `overlapMs`. Devices learn the new key
	 * from the next trust statement, which both keys sign.
	 */
	function rotate(maId: string, actor: AuditActor, overlapMs = DEFAULT_ROTATION_OVERLAP_MS) {
		const r = keys.rotate(maId, overlapMs);
		trust.invalidate(maId);
		audit(db, deps.clock(), {
			maId,
			actor,
			action: 'signing-key.rotate',
			targetType: 'signing-key',
			targetId: r.current.id,
			outcome: 'ok',
			detail: { retiring: r.retiring.id, validUntil: r.retiring.validUntil }
		});
		return { keyId: r.current.id, publicKey: r.current.publicKey, retiring: { keyId: r.retiring.id, validUntil: r.retiring.validUntil } };
	}

	/** The MA's keys as the API lists them (never the private halves). */
	function listKeys(maId: string) {
		keys.current(maId);
		return keys.list(maId).map((k) => ({ keyId: k.id, publicKey: k.publicKey, algorithm: 'Ed25519' as const, createdAt: k.createdAt, validUntil: k.validUntil }));
	}

	/** The MA's current key as a package signer (SCOMO-SEC-03, src/lib/server/package-crypto). */
	function packageSigner(maId: string) {
		const row = keys.current(maId);
		return { keyId: row.id, publicKey: row.publicKey, sign: (bytes: Uint8Array) => keys.signWith(row, bytes) };
	}

	/** The MA key's signature withdrawing delivered operations from one device (cancel; core withdrawMessage). */
	function signWithdrawal(maId: string, deviceId: string, correlators: string[]) {
		const { keyId, signature } = keys.signCurrent(maId, withdrawMessage({ maId, deviceId, correlators }));
		return { maId, deviceId, correlators, keyId, signature };
	}

	return {
		keys,
		trust,
		signWithdrawal,
		/**
		 * Signs a new batch; { approval: 'pending' } means: persist, do not relay until a passkey approves.
		 * With a rollout's definition and approval: an Outcome, approved at once or refused (issue #17).
		 */
		prepareBatch: envelopes.prepare,
		/** The signed form of steps (what a rollout approval names). */
		envelopeOperationsOf: envelopes.operationsOf,
		/** Adds the envelope and trust statement to a command set; null = do not send (awaiting approval). */
		seal: envelopes.seal,
		batchEnvelope: envelopes.header,
		approvals,
		/** A staged rollout approved once by a passkey over its definition (issue #17). */
		rolloutApprovals,
		/** Owner-approved changes of the approvers or a weaker policy (H1/H2): the only way they reach devices. */
		trustChanges,
		rotate,
		listKeys,
		packageSigner,
		revokeEnrollment: revocation.revoke,
		verifyResult: (deviceId: string, result: OperationResultMsg) => verifyDeviceResult(db, deviceId, result)
	};
}

export type SigningService = ReturnType<typeof createSigningService>;
