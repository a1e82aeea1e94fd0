/**
 * What the REST API answers, as valibot schemas: the OpenAPI document (openapi.ts) is generated from these,
 * and the server's view types are checked against them at compile time (src/lib/server/services/views-contract.ts), so
 * the published shapes and the shapes the server builds cannot drift apart.
 */
import * as v from 'valibot';
import { ERROR_CODES } from './errors';
import { OPERATION_STATUSES } from '../core/states';
import { SignedTrustSchema } from './command-envelope';

const Epoch = v.pipe(v.number(), v.integer(), v.description('milliseconds since 1970-01-01T00:00:00Z'));
const NullableEpoch = v.nullable(Epoch);
const Uuid = v.pipe(v.string(), v.uuid());
const items = <S extends v.GenericSchema>(item: S) => v.strictObject({ items: v.array(item) });

export const ApiErrorSchema = v.strictObject({
	error: v.strictObject({
		code: v.picklist(Object.keys(ERROR_CODES) as (keyof typeof ERROR_CODES)[]),
		message: v.string(),
		/** For invalid_request and package_invalid: up to 10 issues, `path` is dotted ("operations.0.kind"). */
		issues: v.optional(v.array(v.strictObject({ path: v.string(), message: v.string() }))),
		/** For a device filter that does not parse: the 0-based character index where reading stopped. */
		position: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)))
	})
});

export const OperationViewSchema = v.strictObject({
	id: Uuid,
	correlator: v.string(),
	batchId: v.nullable(Uuid),
	seq: v.number(),
	deviceId: Uuid,
	kind: v.string(),
	componentId: v.nullable(v.string()),
	version: v.nullable(v.string()),
	consentMode: v.string(),
	intent: v.string(),
	status: v.picklist(OPERATION_STATUSES),
	downloadStatus: v.nullable(v.number()),
	resultCode: v.nullable(v.number()),
	resultName: v.nullable(v.string()),
	resultMessage: v.nullable(v.string()),
	createdAt: Epoch,
	deliveredAt: NullableEpoch,
	completedAt: NullableEpoch,
	expiresAt: Epoch,
	/** When the MA asked to withdraw it from the device (cancel after delivery), else null. */
	cancelRequestedAt: NullableEpoch
});

export const CreatedOperationsSchema = v.strictObject({
	batchId: Uuid,
	operations: v.array(OperationViewSchema),
	/** 'pending' when a high-risk batch waits for an administrator's passkey approval (docs/security.md); else 'not-required'. */
	approval: v.picklist(['not-required', 'pending']),
	/** Early 1413: one per operation whose package excludes the device's enrolled baseline (it is still sent; the device decides). */
	warnings: v.array(
		v.strictObject({ deviceId: Uuid, correlator: v.string(), resultCode: v.number(), message: v.string() })
	)
});

export const DeviceTagSchema = v.strictObject({ key: v.string(), value: v.nullable(v.string()) });

export const DeviceViewSchema = v.strictObject({
	id: Uuid,
	name: v.pipe(v.string(), v.description('this MA’s name for the device (its enrollment label until renamed); empty when it has none')),
	notes: v.pipe(v.string(), v.description('this MA’s notes on the device')),
	tags: v.pipe(v.array(DeviceTagSchema), v.description('this MA’s tags: a key alone (value null) or key=value')),
	manufacturer: v.string(),
	model: v.string(),
	baselineBuildId: v.string(),
	softwareVersion: v.string(),
	kind: v.string(),
	online: v.boolean(),
	lastSeenAt: NullableEpoch,
	enrolledAt: Epoch
});

export const InventoryItemViewSchema = v.strictObject({
	componentId: v.string(),
	stage: v.picklist(['delivered', 'deployed']),
	version: v.string(),
	state: v.nullable(v.picklist(['Active', 'Inactive'])),
	operational: v.nullable(v.string()),
	updatedAt: Epoch
});

/** One device with this MA's part of its inventory only (SCOMO-ADC-3). */
export const DeviceDetailSchema = v.strictObject({
	device: DeviceViewSchema,
	inventory: v.array(InventoryItemViewSchema)
});

export const EnrollmentCodeViewSchema = v.strictObject({
	id: Uuid,
	label: v.string(),
	createdAt: Epoch,
	expiresAt: Epoch,
	usedAt: NullableEpoch,
	usedByDeviceId: v.nullable(Uuid),
	revokedAt: NullableEpoch
});

export const CreatedEnrollmentCodeSchema = v.strictObject({
	id: Uuid,
	/** The one-time code itself: shown once, only its SHA-256 is stored. */
	code: v.string(),
	expiresAt: Epoch,
	/** Absolute URL of the device app's enrollment page with the code. */
	link: v.string()
});

export const PackageVersionViewSchema = v.strictObject({
	versionId: Uuid,
	version: v.string(),
	sha256: v.string(),
	size: v.number(),
	compatibleBaselines: v.array(v.string()),
	permissions: v.array(v.string()),
	signed: v.boolean(),
	createdAt: Epoch
});

export const PackageViewSchema = v.strictObject({
	packageId: Uuid,
	componentId: v.string(),
	name: v.string(),
	description: v.string(),
	versions: v.array(PackageVersionViewSchema)
});

/** What an upload answers: the new version (signed with the MA's key, SCOMO-SEC-03). */
export const UploadedPackageSchema = v.strictObject({
	packageId: Uuid,
	versionId: Uuid,
	componentId: v.string(),
	version: v.string(),
	/** Lowercase hex SHA-256 of the bundle bytes. */
	sha256: v.string(),
	size: v.number()
});

export const DeviceRequestViewSchema = v.strictObject({
	id: Uuid,
	deviceId: Uuid,
	kind: v.string(),
	componentId: v.string(),
	version: v.nullable(v.string()),
	note: v.string(),
	status: v.picklist(['pending', 'approved', 'refused']),
	correlator: v.nullable(v.string()),
	createdAt: Epoch,
	decidedAt: NullableEpoch
});

export const DecidedDeviceRequestSchema = v.strictObject({
	request: DeviceRequestViewSchema,
	operation: v.nullable(OperationViewSchema)
});

export const RevokedSchema = v.strictObject({
	deviceId: Uuid,
	maId: Uuid,
	/** true when the device has no MA left and is refused from now on. */
	deviceRevoked: v.boolean(),
	/** How many of the MA's open operations on the device ended with 1462. */
	cancelled: v.number()
});

export const DecommissionedSchema = v.strictObject({
	deviceId: Uuid,
	maId: Uuid,
	/** How many of the MA's open operations on the device ended with 1462. */
	cancelled: v.number(),
	/** true when the device has acknowledged the erasure already (it was online); else it is told on its next connection. */
	acknowledged: v.boolean(),
	/** false when the device is enrolled with no other MA now: it keeps its connection only until it acks. */
	otherMas: v.boolean()
});

export const SigningKeyViewSchema = v.strictObject({
	keyId: Uuid,
	publicKey: v.pipe(v.string(), v.description('raw 32-byte Ed25519 public key, base64url')),
	algorithm: v.literal('Ed25519'),
	createdAt: Epoch,
	validUntil: NullableEpoch
});

export const RotatedKeySchema = v.strictObject({
	keyId: Uuid,
	publicKey: v.string(),
	retiring: v.strictObject({ keyId: Uuid, validUntil: v.nullable(Epoch) })
});

export const EnrollResponseSchema = v.strictObject({
	deviceId: Uuid,
	ma: v.strictObject({ id: Uuid, name: v.string() }),
	/** The baseline the server holds for the device: the first one it ever enrolled with (SCOMO-HLFR-9). */
	baselineBuildId: v.string(),
	/** The MA's signed trust statement; the device pins the MA's keys from it (docs/protocol.md). */
	trust: v.optional(SignedTrustSchema),
	/** The server's time of this enrollment; the device pins it (a decommission names the enrollment it ends). */
	enrolledAt: v.optional(Epoch)
});

/** One page of a list: `nextCursor` fetches the next one (null on the last); `total` counts every match. */
const pageOf = <S extends v.GenericSchema>(item: S) =>
	v.strictObject({ items: v.array(item), nextCursor: v.nullable(v.string()), total: v.pipe(v.number(), v.integer()) });

export const DevicePageSchema = pageOf(DeviceViewSchema);
export const OperationPageSchema = pageOf(OperationViewSchema);

export const ListOf = {
	operations: OperationPageSchema,
	devices: DevicePageSchema,
	inventory: items(InventoryItemViewSchema),
	enrollmentCodes: pageOf(EnrollmentCodeViewSchema),
	packages: pageOf(PackageViewSchema),
	deviceRequests: pageOf(DeviceRequestViewSchema),
	signingKeys: items(SigningKeyViewSchema)
};
