/**
 * The signed command envelope and the MA trust statement on the wire (SCOMO-SEC-01, SEC-02): valibot
 * schemas for the types of src/lib/core/envelope.ts. A command set carries its envelope (the batch header
 * signed once by the MA key, this device's Merkle leaf and proof, and an administrator's passkey assertion
 * for high-risk batches) and the MA's current trust statement (keys, approving passkeys, high-risk policy).
 */
import * as v from 'valibot';
import { Base64Url, ComponentId, ConsentModeSchema, Correlator, HumanText, Id, OperationKindSchema, Sha256Hex, Version } from './common';

const Epoch = v.pipe(v.number(), v.integer(), v.minValue(0));

export const EnvelopePackageSchema = v.strictObject({
	versionId: Id,
	sha256: Sha256Hex,
	size: v.pipe(v.number(), v.integer(), v.minValue(0)),
	manifestSha256: Sha256Hex
});

export const EnvelopeOperationSchema = v.strictObject({
	kind: OperationKindSchema,
	componentId: v.nullable(ComponentId),
	version: v.nullable(Version),
	package: v.nullable(EnvelopePackageSchema)
});

/** A staged rollout's definition, approved once by a passkey (core/rollout-approval.ts). */
export const RolloutApprovalDefinitionSchema = v.strictObject({
	v: v.literal(1),
	maId: Id,
	rolloutId: Id,
	nonce: Base64Url(64),
	operations: v.pipe(v.array(EnvelopeOperationSchema), v.minLength(1), v.maxLength(20)),
	consentMode: ConsentModeSchema,
	intent: HumanText(500),
	notAfter: Epoch,
	target: HumanText(500),
	maxDevices: v.pipe(v.number(), v.integer(), v.minValue(1))
});

export const BatchHeaderSchema = v.strictObject({
	v: v.literal(1),
	maId: Id,
	maName: HumanText(120),
	batchId: Id,
	nonce: Base64Url(64),
	issuedAt: Epoch,
	expiresAt: Epoch,
	consentMode: ConsentModeSchema,
	intent: HumanText(500),
	operations: v.pipe(v.array(EnvelopeOperationSchema), v.minLength(1), v.maxLength(20)),
	root: Base64Url(64),
	leafCount: v.pipe(v.number(), v.integer(), v.minValue(1)),
	rollout: v.optional(RolloutApprovalDefinitionSchema)
});

export const AdminApprovalSchema = v.strictObject({
	credentialId: Base64Url(1024),
	authenticatorData: Base64Url(4096),
	clientDataJSON: Base64Url(4096),
	signature: Base64Url(1024)
});

export const SignedEnvelopeSchema = v.strictObject({
	header: BatchHeaderSchema,
	keyId: Id,
	signature: Base64Url(256),
	leaf: v.strictObject({ deviceId: Id, correlators: v.pipe(v.array(Correlator), v.minLength(1), v.maxLength(20)) }),
	index: v.pipe(v.number(), v.integer(), v.minValue(0)),
	/** Sibling hashes from the leaf to the root; 64 levels cover any fleet. */
	proof: v.pipe(v.array(Base64Url(64)), v.maxLength(64)),
	approval: v.nullable(AdminApprovalSchema)
});

const PolicySchema = v.strictObject({
	kinds: v.pipe(v.array(OperationKindSchema), v.maxLength(12)),
	fanout: v.pipe(v.number(), v.integer(), v.minValue(1))
});

const CredentialsSchema = v.pipe(
	v.array(
		v.strictObject({
			credentialId: Base64Url(1024),
			alg: v.picklist([-7, -8]),
			x: Base64Url(64),
			y: v.nullable(Base64Url(64))
		})
	),
	v.maxLength(200)
);

const RpSchema = v.strictObject({ rpId: v.pipe(v.string(), v.maxLength(255)), origin: v.pipe(v.string(), v.maxLength(255)) });

export const TrustStatementSchema = v.strictObject({
	v: v.literal(1),
	maId: Id,
	seq: v.pipe(v.number(), v.integer(), v.minValue(1)),
	issuedAt: Epoch,
	keys: v.pipe(
		v.array(v.strictObject({ keyId: Id, publicKey: Base64Url(64), validUntil: v.nullable(Epoch) })),
		v.minLength(1),
		v.maxLength(8)
	),
	policy: PolicySchema,
	credentials: CredentialsSchema,
	rp: RpSchema,
	/** SCOMO-SEC-02: the passkey-approved grant the guarded fields descend from (core/trust-grant.ts). */
	epoch: v.optional(Epoch)
});

/** A passkey-approved change of an MA's approvers or policy (core TrustLink), verified by each device. */
export const TrustLinkSchema = v.strictObject({
	grant: v.strictObject({
		v: v.literal(1),
		maId: Id,
		epoch: v.pipe(v.number(), v.integer(), v.minValue(1)),
		policy: PolicySchema,
		credentials: CredentialsSchema,
		rp: RpSchema
	}),
	approval: AdminApprovalSchema
});

export const SignedTrustSchema = v.strictObject({
	statement: TrustStatementSchema,
	signatures: v.pipe(v.array(v.strictObject({ keyId: Id, signature: Base64Url(256) })), v.minLength(1), v.maxLength(8)),
	links: v.optional(v.pipe(v.array(TrustLinkSchema), v.maxLength(32)))
});

export type SignedEnvelopeMsg = v.InferOutput<typeof SignedEnvelopeSchema>;
export type SignedTrustMsg = v.InferOutput<typeof SignedTrustSchema>;
