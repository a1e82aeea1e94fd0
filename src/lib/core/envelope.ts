/**
 * Signed command envelopes (SCOMO-SEC-01, SEC-02): what an MA's command-signing key signs, what a device
 * checks before it acks, journals or runs anything, and the trust statement that tells a device which
 * keys, administrator passkeys and high-risk rules its MA has.
 *
 * - One BatchHeader per batch, signed ONCE by the MA key whatever the fleet size: it names the operations
 *   (kind, target, package digests), consent mode, intent, a nonce, issued-at, expires-at and the Merkle
 *   root over one leaf per device (device ID + that device's correlators, in order). Each device gets its
 *   leaf and inclusion proof (merkle.ts).
 * - High-risk batches also carry an administrator's WebAuthn assertion whose challenge is
 *   approvalChallenge(header): the administrator's own passkey signs the batch (webauthn-assertion.ts).
 * - The TrustStatement lists the MA's signing keys (a rotated key with the end of its overlap), the
 *   administrator credentials allowed to approve, and the high-risk policy; it is signed by the MA keys, so
 *   a device that knows only the old key accepts the new one (key rotation).
 *
 * Pure: hashing is injected (Sha256), signatures are checked by the callers (node:crypto, WebCrypto).
 */
import { canonicalJson } from './envelope-canonical';
import { b64u, hex, utf8 } from './envelope-bytes';
import type { Sha256 } from './merkle-sha256';
import type { OperationKind } from './operations';
import type { ConsentMode } from './states';
import type { RolloutDefinition } from './rollout-approval';

export const ENVELOPE_VERSION = 1;

/** The package an operation carries, bound by digest: a relay cannot swap the bundle or the manifest. */
export type EnvelopePackage = { versionId: string; sha256: string; size: number; manifestSha256: string };

export type EnvelopeOperation = {
	kind: OperationKind;
	componentId: string | null;
	version: string | null;
	package: EnvelopePackage | null;
};

/** What the MA key signs for one batch (the same bytes for every device of the fan-out). */
export type BatchHeader = {
	v: 1;
	maId: string;
	maName: string;
	batchId: string;
	/** Random, unique per batch: the device's replay window remembers it until expiresAt. */
	nonce: string;
	issuedAt: number;
	expiresAt: number;
	consentMode: ConsentMode;
	intent: string;
	operations: EnvelopeOperation[];
	/** Merkle root (base64url) over leafBytes() of every device's leaf, leaves sorted by device ID. */
	root: string;
	leafCount: number;
	/**
	 * Present when the batch is part of a staged rollout approved once over its definition: then a high-risk
	 * batch's approval is an assertion over rolloutApprovalChallenge(rollout), not over this header
	 * (core/rollout-approval.ts). Absent on every other batch, so their signed bytes do not change.
	 */
	rollout?: RolloutDefinition;
};

export type EnvelopeLeaf = { deviceId: string; correlators: string[] };

/**
 * An administrator's passkey assertion over approvalChallenge(header), or over rolloutApprovalChallenge of
 * the header's rollout definition when it carries one (all base64url).
 */
export type AdminApproval = {
	credentialId: string;
	authenticatorData: string;
	clientDataJSON: string;
	signature: string;
};

/** What travels with a command set to one device. */
export type SignedEnvelope = {
	header: BatchHeader;
	keyId: string;
	/** Ed25519 over envelopeMessage(header), base64url. */
	signature: string;
	leaf: EnvelopeLeaf;
	index: number;
	proof: string[];
	approval: AdminApproval | null;
};

export type TrustKey = {
	keyId: string;
	/** Raw 32-byte Ed25519 public key, base64url. */
	publicKey: string;
	/** null while the key is current; the end of the overlap period once it has been rotated out. */
	validUntil: number | null;
};

/** A passkey allowed to approve high-risk operations: ES256 (x, y) or EdDSA (x), raw coordinates. */
export type AdminCredential = { credentialId: string; alg: -7 | -8; x: string; y: string | null };

/** Which batches need an administrator's passkey (SCOMO-SEC-02): these kinds, or more devices than `fanout`. */
export type HighRiskPolicy = { kinds: OperationKind[]; fanout: number };

export type TrustStatement = {
	v: 1;
	maId: string;
	/** Grows with every change; a device accepts only a newer statement than the one it holds. */
	seq: number;
	issuedAt: number;
	keys: TrustKey[];
	policy: HighRiskPolicy;
	credentials: AdminCredential[];
	/** The relying party the passkeys belong to: assertions must name this origin and RP ID. */
	rp: { rpId: string; origin: string };
	/**
	 * The passkey-approved grant this statement's policy, credentials and RP descend from (trust-grant.ts);
	 * absent (0) until a passkey co-signed the first change.
	 */
	epoch?: number;
};

/**
 * What a passkey co-signs when an MA's approvers change or its high-risk policy is weakened: the guarded
 * part of a trust statement under a new epoch. The approval is an assertion, by a credential of the
 * previous grant, over grantChallenge(grant) (core/trust-grant.ts).
 */
export type TrustGrant = {
	v: 1;
	maId: string;
	epoch: number;
	policy: HighRiskPolicy;
	credentials: AdminCredential[];
	rp: { rpId: string; origin: string };
};

export type TrustLink = { grant: TrustGrant; approval: AdminApproval };

/**
 * The MA keys' signatures over the statement, and the passkey-approved grants a device may need to walk from
 * the statement it pinned to this one (they carry their own passkey signatures, so they travel unsigned).
 */
export type SignedTrust = { statement: TrustStatement; signatures: { keyId: string; signature: string }[]; links?: TrustLink[] };

/** The text the MA key signs for a batch header. */
export const envelopeMessage = (header: BatchHeader) => `scomo-command:v1:${canonicalJson(header)}`;

/** The text each MA key signs for a trust statement. */
export const trustMessage = (statement: TrustStatement) => `scomo-trust:v1:${canonicalJson(statement)}`;

/** The WebAuthn challenge of a high-risk batch: the digest of its header (base64url). */
export const approvalChallenge = (sha256: Sha256, header: BatchHeader) =>
	b64u(sha256(utf8(`scomo-approval:v1:${canonicalJson(header)}`)));

/** Identity of a header's content, for the replay window (same content = a re-delivery, not a replay). */
export const headerDigest = (sha256: Sha256, header: BatchHeader) => b64u(sha256(utf8(canonicalJson(header))));

export const leafBytes = (leaf: EnvelopeLeaf) => utf8(canonicalJson({ c: leaf.correlators, d: leaf.deviceId }));

/** Lowercase hex SHA-256 of a manifest's canonical JSON. */
export const manifestDigest = (sha256: Sha256, manifest: unknown) => hex(sha256(utf8(canonicalJson(manifest))));

/**
 * What the MA key signs to withdraw operations it sent to one device (cancel after delivery): the device
 * ends them with 1462 unless they already started. Bound to the MA and the device; correlators are unique,
 * so replaying it changes nothing.
 */
export type Withdrawal = { maId: string; deviceId: string; correlators: string[] };
export const withdrawMessage = (w: Withdrawal) =>
	`scomo-withdraw:v1:${canonicalJson({ correlators: w.correlators, deviceId: w.deviceId, maId: w.maId })}`;

/** What the device key signs for one result (SCOMO-SEC-02: the server verifies the source of results). */
export function resultMessage(deviceId: string, result: Record<string, unknown>): string {
	const { signature: _ignored, ...rest } = result;
	return `scomo-result:v1:${deviceId}:${canonicalJson(rest)}`;
}

export const keyValidAt = (key: TrustKey, now: number) => key.validUntil === null || now <= key.validUntil;

/** Is this batch high-risk under the MA's policy (a listed kind, or a fan-out above the threshold)? */
/** What the high-risk rule looks at: the kinds of the steps and how many devices get them (a batch, a rollout). */
export type RiskShape = { operations: readonly { kind: OperationKind }[]; leafCount: number };

export function isHighRisk(header: RiskShape, policy: HighRiskPolicy): boolean {
	return header.operations.some((o) => policy.kinds.includes(o.kind)) || header.leafCount > policy.fanout;
}

/**
 * Must a passkey approve this batch? When it is high-risk and the MA has administrator credentials to
 * approve with. An MA with no passkey-holding administrator (API tokens only) cannot bind operations to a
 * passkey; docs/security.md says so.
 */
export const needsApproval = (header: RiskShape, trust: Pick<TrustStatement, 'policy' | 'credentials'>) =>
	trust.credentials.length > 0 && isHighRisk(header, trust.policy);

/** A relayed operation as the command set carries it (contract CommandOperation). */
export type RelayedOperation = {
	kind: string;
	componentId: string | null;
	version: string | null;
	package: { versionId: string; componentId: string; version: string; sha256: string; size: number; manifest: unknown } | null;
};

/** Does a relayed operation say exactly what the signed header says for it? */
export function operationMatches(sha256: Sha256, op: RelayedOperation, signed: EnvelopeOperation): boolean {
	if (op.kind !== signed.kind || op.componentId !== signed.componentId || op.version !== signed.version) return false;
	if (op.package === null || signed.package === null) return op.package === signed.package;
	const p = op.package;
	const s = signed.package;
	return (
		p.versionId === s.versionId &&
		p.sha256 === s.sha256 &&
		p.size === s.size &&
		p.componentId === signed.componentId &&
		manifestDigest(sha256, p.manifest) === s.manifestSha256
	);
}

/** The envelope description of one operation (server side, when the batch is signed). */
export function envelopeOperation(
	sha256: Sha256,
	op: { kind: OperationKind; componentId: string | null; version: string | null },
	pkg: { versionId: string; sha256: string; size: number; manifest: unknown } | null
): EnvelopeOperation {
	return {
		kind: op.kind,
		componentId: op.componentId,
		version: op.version,
		package: pkg ? { versionId: pkg.versionId, sha256: pkg.sha256, size: pkg.size, manifestSha256: manifestDigest(sha256, pkg.manifest) } : null
	};
}
