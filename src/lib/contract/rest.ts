/**
 * REST bodies: the MA API (`/api/v1`, bearer API tokens) and the device endpoints (`/api/device`).
 */
import * as v from 'valibot';
import {
	Id,
	ComponentId,
	Version,
	OperationKindSchema,
	ConsentModeSchema,
	HumanText,
	Base64Url,
	BaselineId
} from './common';
import { ManifestSchema } from './manifest';
import type { SignedTrustMsg } from './command-envelope';

// ---------- device endpoints ----------

export const EnrollRequest = v.strictObject({
	code: v.pipe(v.string(), v.minLength(6), v.maxLength(128)),
	/** Ed25519 public key, raw 32 bytes, base64url. */
	publicKey: Base64Url(64),
	keyAlgorithm: v.literal('Ed25519'),
	/** Signature over enrollProofMessage(code, publicKey). */
	proof: Base64Url(256),
	/**
	 * SCOMO-SEC-03: the device's static ECDH P-256 public key (raw uncompressed point, 65 bytes, base64url);
	 * packages are encrypted to it. Optional while older devices exist; see docs/security.md.
	 */
	encryptionKey: v.optional(Base64Url(128)),
	/** A device already enrolled with another MA gives its ID; the key must match. */
	deviceId: v.optional(Id),
	info: v.strictObject({
		manufacturer: HumanText(80),
		model: HumanText(80),
		baselineBuildId: BaselineId,
		softwareVersion: HumanText(80),
		kind: v.optional(v.picklist(['agent', 'pwa']), 'agent')
	})
});
export type EnrollRequestBody = v.InferOutput<typeof EnrollRequest>;

export type EnrollResponse = {
	deviceId: string;
	ma: { id: string; name: string };
	/** The baseline the server holds for this device (the first one ever enrolled, SCOMO-HLFR-9). */
	baselineBuildId: string;
	/** SCOMO-SEC-01: the MA's signed trust statement (command-signing keys, approving passkeys); the device pins it. */
	trust?: SignedTrustMsg;
	/**
	 * The server's time of this enrollment; the device pins it and accepts a decommission only for the same
	 * enrollment (core/decommission.ts): one replayed after a re-enrollment erases nothing.
	 */
	enrolledAt?: number;
};

// ---------- MA API ----------

/**
 * POST /api/v1/devices/{id}/decommission: the confirmation is the device's ID typed again (the console has the
 * administrator type its name and sends the ID), so a script cannot decommission by a slip of the path.
 */
export const DecommissionDevice = v.strictObject({
	confirm: v.pipe(Id, v.description('the device ID again, as the confirmation'))
});
export type DecommissionDeviceBody = v.InferOutput<typeof DecommissionDevice>;

/**
 * PATCH /api/v1/devices/{id}: this MA's name, notes and tags of the device; each field only when given
 * (tags replace the whole set). The finer rules (tag keys, no control characters) are the core's
 * (core/device-identity.ts), so the console's form and this body accept the same things.
 */
export const UpdateDevice = v.strictObject({
	name: v.optional(v.pipe(v.string(), v.maxLength(200), v.description('the device’s name in this MA (at most 80 characters); empty removes it'))),
	notes: v.optional(v.pipe(v.string(), v.maxLength(4000), v.description('free-form notes (at most 2000 characters)'))),
	tags: v.optional(
		v.pipe(
			v.array(v.pipe(v.string(), v.maxLength(200))),
			v.maxLength(64),
			v.description('the whole tag set, each `key` or `key=value` (key: letters, digits, _ - : / + @); at most 32')
		)
	)
});
export type UpdateDeviceBody = v.InferOutput<typeof UpdateDevice>;

export const CreateEnrollmentCode = v.strictObject({
	label: v.optional(HumanText(80), ''),
	/** Default 24 h; at most 30 days. */
	expiresInSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(60), v.maxValue(30 * 24 * 3600)), 24 * 3600)
});

export const OperationStep = v.strictObject({
	kind: OperationKindSchema,
	componentId: v.optional(ComponentId),
	version: v.optional(Version)
});

export const CreateOperations = v.strictObject({
	deviceIds: v.pipe(v.array(Id), v.minLength(1, 'name at least one device'), v.maxLength(100_000)),
	/** One step, or a sequence (e.g. DownloadInstall then Start), confirmed once per device (SCOMO-ADC-2). */
	operations: v.pipe(v.array(OperationStep), v.minLength(1, 'name at least one operation'), v.maxLength(20)),
	consentMode: ConsentModeSchema,
	intent: v.optional(HumanText(500), '')
});
export type CreateOperationsBody = v.InferOutput<typeof CreateOperations>;

/** Package upload as JSON: the manifest and the bundle's text (or base64 with encoding 'base64'). */
export const UploadPackage = v.strictObject({
	manifest: ManifestSchema,
	bundle: v.string(),
	encoding: v.optional(v.picklist(['utf8', 'base64']), 'utf8')
});

export const DecideDeviceRequest = v.strictObject({
	decision: v.picklist(['approve', 'refuse']),
	consentMode: v.optional(ConsentModeSchema, 'confirm'),
	message: v.optional(HumanText(500), '')
});

export { ManifestSchema };
