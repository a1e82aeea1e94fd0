/**
 * The device verifies every command set BEFORE it acks, journals or runs anything (SCOMO-SEC-01, SEC-02).
 * Shared by the headless agent and the PWA (WebCrypto + the pure core), in this order:
 *
 *   MA enrolled here? ............................................. else 1456 (not addressed to this device)
 *   trust statement update: accepted only if a pinned, valid key signed it (key rotation) and, once
 *     approving passkeys are pinned, a change to them or a weaker policy carries an approval chain
 *     signed by passkeys this device already trusts (core/trust-grant.ts); else it is ignored
 *   envelope present, header.maId = set.maId, key pinned and valid,
 *     Ed25519 signature over the header ................................................ else 1453
 *   this device's leaf in the signed Merkle root ........................................ else 1453
 *   leaf names this device .............................................................. else 1456
 *   set fields and operations = the signed header's, in the signed order ................ else 1453
 *   per fresh operation: nonce or correlator reused by another envelope ................. 1455
 *                        past expires-at ................................................ 1454
 *                        high-risk without a valid administrator passkey assertion ...... 1463
 *                          (a batch of an approved rollout: the assertion is over the rollout's
 *                          definition, and the batch must stay within it: same MA, steps, consent mode
 *                          and intent, issued and expiring by notAfter; core/rollout-approval.ts)
 *
 * A rejected operation is never executed; it is reported with its code (executor.ts). The same signed set
 * delivered again (a reconnect) is a re-delivery, not a replay: its stored results are sent again.
 */
import { RC } from '../core';
import {
	approvalChallenge,
	envelopeMessage,
	headerDigest,
	keyValidAt,
	leafBytes,
	needsApproval,
	operationMatches,
	trustMessage,
	withdrawMessage,
	type SignedEnvelope,
	type SignedTrust,
	type TrustStatement
} from '../core/envelope';
import { fromB64u } from '../core/envelope-bytes';
import { verifyMerkleProof } from '../core/merkle';
import { sha256 } from '../core/merkle-sha256';
import { checkAssertion } from '../core/webauthn-assertion';
import { rolloutApprovalChallenge, rolloutProblem } from '../core/rollout-approval';
import { planTrustUpdate } from '../core/trust-grant';
import type { CommandSetMsg, DecommissionMsg, WithdrawMsg } from '../contract';
import { decommissionMessage } from '../core/decommission';
import type { EventSink } from './events';
import type { Clock, Identity, Ledger, ReplayWindow } from './ports';
import { credentialVerifies, ed25519Verifies } from './verify-crypto';

/**
 * `authentic`: the MA's signature over this very operation verified (an expired, replayed or unapproved copy
 * of a real command). False when nothing proves the MA sent it: its refusal must never stand in for the
 * result of a genuine command with the same correlator (executor.ts keeps such refusals apart).
 */
export type Rejection = { code: number; message: string; authentic: boolean };

export type Verdict = {
	/** Correlator → why it must not run. Absent = run it (or answer it again if already done). */
	rejected: Map<string, Rejection>;
	/** Adds the envelope's nonce and these correlators to the replay window (in the commit that journals them). */
	remember(ledger: Ledger, correlators: readonly string[]): void;
};

export type VerifierDeps = {
	/** The stored identity (read each time: another MA may have enrolled this device meanwhile). */
	identity: () => Promise<Identity>;
	saveIdentity: (identity: Identity) => Promise<void>;
	ledger: () => Ledger;
	clock: Clock;
	emit?: EventSink;
};

const emptyWindow = (): ReplayWindow => ({ nonces: {}, correlators: {} });

/** Drops what has expired: an expired envelope is refused whatever the window says. */
export function pruneReplayWindow(w: ReplayWindow, now: number): void {
	for (const [nonce, e] of Object.entries(w.nonces)) if (e.expiresAt < now) delete w.nonces[nonce];
	for (const [c, nonce] of Object.entries(w.correlators)) if (!(nonce in w.nonces)) delete w.correlators[c];
}

/** Does a key of the statement we already trust sign the newer one? */
async function signedByPinnedKey(pinned: TrustStatement, update: SignedTrust, now: number): Promise<boolean> {
	if (update.statement.maId !== pinned.maId || update.statement.seq <= pinned.seq) return false;
	const message = trustMessage(update.statement);
	for (const s of update.signatures) {
		const key = pinned.keys.find((k) => k.keyId === s.keyId && keyValidAt(k, now));
		if (key && (await ed25519Verifies(key.publicKey, message, s.signature))) return true;
	}
	return false;
}

export type TrustUpdateVerdict = { take: true } | { take: false; reason: string | null };

/**
 * May the device replace `pinned` with `update`? A pinned MA key must sign it (else it is silently ignored:
 * reason null) and, once approving passkeys are pinned, changing them or weakening the policy needs the
 * approval chain of core/trust-grant.ts, every passkey signature verified here with WebCrypto.
 */
export async function trustUpdateVerdict(pinned: TrustStatement, update: SignedTrust, now: number): Promise<TrustUpdateVerdict> {
	if (!(await signedByPinnedKey(pinned, update, now))) return { take: false, reason: null };
	const plan = planTrustUpdate(sha256, pinned, update.statement, update.links ?? []);
	if (!plan.ok) return { take: false, reason: plan.error };
	for (const c of plan.value) {
		if (!(await credentialVerifies(c.credential, c.checked.signedData, c.checked.signature))) {
			return { take: false, reason: `the passkey approval of epoch ${c.epoch} does not verify` };
		}
	}
	return { take: true };
}

/** At enrollment (trust on first use, anchored by the one-time code): the statement must at least be self-signed. */
export async function selfSigned(update: SignedTrust, now: number): Promise<boolean> {
	const message = trustMessage(update.statement);
	for (const s of update.signatures) {
		const key = update.statement.keys.find((k) => k.keyId === s.keyId && keyValidAt(k, now));
		if (key && (await ed25519Verifies(key.publicKey, message, s.signature))) return true;
	}
	return false;
}

export class CommandVerifier {
	constructor(private readonly d: VerifierDeps) {}

	async verify(set: CommandSetMsg): Promise<Verdict> {
		const correlators = set.operations.map((o) => o.correlator);
		const all = (code: number, message: string): Verdict => {
			this.d.emit?.({ event: 'command-rejected', maId: set.maId, batchId: set.batchId, correlators, code, message });
			return { rejected: new Map(correlators.map((c) => [c, { code, message, authentic: false }])), remember: () => {} };
		};
		const now = this.d.clock.now();
		let identity = await this.d.identity();
		const ma = identity.mas.find((m) => m.maId === set.maId);
		if (!ma) return all(RC.WrongDevice, 'This device is not enrolled with the MA that the command names.');

		const update = set.trust && ma.trust ? await trustUpdateVerdict(ma.trust, set.trust, now) : null;
		if (update?.take) {
			// SCOMO-SEC-01 key rotation: the new statement (new key, new passkeys, policy) signed by a pinned key.
			// SCOMO-SEC-02: passkey or policy changes only with a trusted passkey's approval (trust-grant.ts).
			const { links: _walked, ...signed } = set.trust!;
			identity = { ...identity, mas: identity.mas.map((m) => (m.maId === ma.maId ? { ...m, trust: signed.statement } : m)) };
			await this.d.saveIdentity(identity);
			this.d.emit?.({ event: 'trust-updated', maId: ma.maId, seq: signed.statement.seq });
		} else if (update?.reason) {
			// The commands are still verified, against the statement this device keeps.
			this.d.emit?.({ event: 'trust-refused', maId: ma.maId, seq: set.trust!.statement.seq, reason: update.reason });
		}
		const trust = identity.mas.find((m) => m.maId === set.maId)?.trust;
		if (!trust) return all(RC.SignatureInvalid, 'No signing key is pinned for this MA; the command cannot be verified.');

		const env = set.envelope;
		if (!env) return all(RC.SignatureInvalid, 'The command is not signed.');
		const h = env.header;
		if (h.maId !== set.maId) return all(RC.SignatureInvalid, 'The command is signed for another MA.');
		const key = trust.keys.find((k) => k.keyId === env.keyId && keyValidAt(k, now));
		if (!key) return all(RC.SignatureInvalid, 'The command is signed with a key this device does not trust (unknown or retired).');
		if (!(await ed25519Verifies(key.publicKey, envelopeMessage(h), env.signature))) {
			return all(RC.SignatureInvalid, 'The command signature does not verify with the MA key.');
		}
		if (!this.inBatch(env)) return all(RC.SignatureInvalid, 'The command is not part of the signed batch (Merkle proof).');
		if (env.leaf.deviceId !== identity.deviceId) return all(RC.WrongDevice, 'The signed command names another device.');
		const sameFields =
			set.batchId === h.batchId &&
			set.consentMode === h.consentMode &&
			set.intent === h.intent &&
			set.maName === h.maName &&
			set.expiresAt === h.expiresAt &&
			h.operations.length === env.leaf.correlators.length;
		if (!sameFields || !this.sameOperations(set, env)) {
			return all(RC.SignatureInvalid, 'The command set differs from what the MA signed (altered, added or reordered operations).');
		}

		// Authentic and addressed to us: now per operation.
		const ledger = this.d.ledger();
		const window = ledger.replay ?? emptyWindow();
		const digest = headerDigest(sha256, h);
		const seenNonce = window.nonces[h.nonce];
		const processed = (c: string) => c in ledger.results || ledger.journal.some((e) => e.set.operations.some((o) => o.correlator === c));
		const rejected = new Map<string, Rejection>();
		const fresh = correlators.filter((c) => {
			const owner = window.correlators[c];
			if ((seenNonce && seenNonce.digest !== digest) || (owner !== undefined && owner !== h.nonce)) {
				rejected.set(c, { code: RC.CommandReplayed, message: 'Another command already used this nonce or correlator; this copy was refused.', authentic: true });
				return false;
			}
			return !processed(c);
		});
		// Only operations that have not run yet are refused for expiry or approval; done ones are answered again.
		if (fresh.length > 0 && h.expiresAt < now) {
			for (const c of fresh) rejected.set(c, { code: RC.CommandExpired, message: 'The command reached the device after it expired.', authentic: true });
		} else if (fresh.length > 0 && needsApproval(h, trust)) {
			const problem = await this.approvalProblem(env, trust);
			if (problem) for (const c of fresh) rejected.set(c, { code: RC.ApprovalInvalid, message: problem, authentic: true });
		}
		if (rejected.size > 0) {
			const byCode = new Map<number, string[]>();
			for (const [c, r] of rejected) byCode.set(r.code, [...(byCode.get(r.code) ?? []), c]);
			for (const [code, cs] of byCode) {
				this.d.emit?.({ event: 'command-rejected', maId: set.maId, batchId: set.batchId, correlators: cs, code, message: rejected.get(cs[0]!)!.message });
			}
		}
		return {
			rejected,
			remember: (l, cs) => {
				if (cs.length === 0) return;
				const w = (l.replay ??= emptyWindow());
				pruneReplayWindow(w, this.d.clock.now());
				w.nonces[h.nonce] = { digest, expiresAt: h.expiresAt };
				for (const c of cs) w.correlators[c] = h.nonce;
			}
		};
	}

	/**
	 * A withdrawal (cancel after delivery) counts only when a key this device pinned for the MA signed it for
	 * this device: neither a third party nor another MA can withdraw an MA's operations.
	 */
	async verifyWithdrawal(msg: WithdrawMsg): Promise<{ ok: true; maName: string } | { ok: false; code: string; message: string }> {
		const identity = await this.d.identity();
		const ma = identity.mas.find((m) => m.maId === msg.maId);
		if (!ma || msg.deviceId !== identity.deviceId) return { ok: false, code: 'not_found', message: 'The withdrawal is not addressed to this device.' };
		const key = ma.trust?.keys.find((k) => k.keyId === msg.keyId && keyValidAt(k, this.d.clock.now()));
		if (!key || !(await ed25519Verifies(key.publicKey, withdrawMessage(msg), msg.signature))) {
			return { ok: false, code: 'forbidden', message: 'The withdrawal is not signed by a key this device trusts for the MA.' };
		}
		return { ok: true, maName: ma.name };
	}

	/**
	 * A decommission (erase everything of an MA here) counts only when a key this device pinned for the MA signed
	 * it for this device and for the enrollment it holds now (core/decommission.ts): neither a relay nor another
	 * MA can wipe a device, and one replayed after a re-enrollment erases nothing.
	 */
	async verifyDecommission(msg: DecommissionMsg): Promise<{ ok: true; maName: string } | { ok: false; code: string; message: string }> {
		const identity = await this.d.identity();
		const ma = identity.mas.find((m) => m.maId === msg.maId);
		if (!ma || msg.deviceId !== identity.deviceId) return { ok: false, code: 'not_found', message: 'The decommission is not addressed to this device.' };
		const key = ma.trust?.keys.find((k) => k.keyId === msg.keyId && keyValidAt(k, this.d.clock.now()));
		if (!key || !(await ed25519Verifies(key.publicKey, decommissionMessage(msg), msg.signature))) {
			return { ok: false, code: 'forbidden', message: 'The decommission is not signed by a key this device trusts for the MA.' };
		}
		if (ma.enrolledAt !== undefined && ma.enrolledAt !== msg.enrolledAt) {
			return { ok: false, code: 'conflict', message: 'The decommission is for an earlier enrollment with the MA.' };
		}
		return { ok: true, maName: ma.name };
	}

	private inBatch(env: SignedEnvelope): boolean {
		const root = fromB64u(env.header.root);
		const siblings = env.proof.map((p) => fromB64u(p));
		if (!root || siblings.some((s) => s === null)) return false;
		return verifyMerkleProof(sha256, leafBytes(env.leaf), env.index, env.header.leafCount, siblings as Uint8Array[], root);
	}

	/** Every relayed operation is the signed one at its position, in the signed order (a subset may be re-sent). */
	private sameOperations(set: CommandSetMsg, env: SignedEnvelope): boolean {
		let last = -1;
		for (const op of set.operations) {
			const k = env.leaf.correlators.indexOf(op.correlator);
			if (k <= last) return false;
			last = k;
			if (!operationMatches(sha256, op, env.header.operations[k]!)) return false;
		}
		return true;
	}

	/**
	 * Null when an administrator's passkey approved exactly this batch, or the rollout definition it carries
	 * and the batch stays within that definition; else what is wrong. A batch of a rollout is approved ONLY
	 * over its definition (never by a batch approval), and a rollout approval never approves a plain batch:
	 * the two challenges are domain-separated.
	 */
	private async approvalProblem(env: SignedEnvelope, trust: TrustStatement): Promise<string | null> {
		const a = env.approval;
		if (!a) return 'This high-risk command needs an administrator’s passkey approval and carries none.';
		const rollout = env.header.rollout;
		if (rollout) {
			const outside = rolloutProblem(env.header, rollout);
			if (outside) return `The command is not covered by its rollout approval: ${outside}.`;
		}
		const credential = trust.credentials.find((c) => c.credentialId === a.credentialId);
		if (!credential) return 'The approving passkey is not one the MA certified for this device.';
		const challenge = rollout ? rolloutApprovalChallenge(sha256, rollout) : approvalChallenge(sha256, env.header);
		const checked = checkAssertion(sha256, a, { challenge, origin: trust.rp.origin, rpId: trust.rp.rpId });
		if (!checked.ok) return `The administrator approval is invalid: ${checked.error}.`;
		if (!(await credentialVerifies(credential, checked.value.signedData, checked.value.signature))) {
			return 'The administrator approval signature does not verify.';
		}
		return null;
	}
}
