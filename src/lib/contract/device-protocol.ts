/**
 * The device protocol: socket.io namespace `/device`. Every event is listed in DEVICE_EVENTS with its
 * schema, direction and purpose; docs/protocol.md documents the same list (a test checks it).
 *
 * Handshake: on connect the server emits `auth:challenge`; the device answers `auth:prove` with its
 * device ID and a signature over the challenge. Until then every other event gets `not_authenticated`.
 */
import * as v from 'valibot';
import {
	Id,
	ComponentId,
	Version,
	Correlator,
	OperationKindSchema,
	ConsentModeSchema,
	OperationalStateSchema,
	HumanText,
	Base64Url,
	Sha256Hex,
	BaselineId,
	ComponentStateSchema,
	OwnedComponentStateSchema
} from './common';
import { ManifestSchema } from './manifest';
import { SignedEnvelopeSchema, SignedTrustSchema } from './command-envelope';
import type { ErrorCode } from './errors';
import type { CompactCommandSetMsg } from './compact-set';

export const DEVICE_NAMESPACE = '/device';

/** What the device signs to authenticate a connection; binds the nonce to the device and the server. */
export const deviceAuthMessage = (nonce: string, deviceId: string, origin: string) =>
	`scomo-device-auth:v1:${nonce}:${deviceId}:${origin}`;

/** What the device signs at enrollment to prove it holds the private key of the public key it registers. */
export const enrollProofMessage = (code: string, publicKey: string) => `scomo-enroll:v1:${code}:${publicKey}`;

// ---------- server → device ----------

export const AuthChallenge = v.strictObject({ nonce: Base64Url(128), serverTime: v.number() });

/** The package a command needs: what to fetch and how to check it (digest before anything is stored). */
export const PackageRef = v.strictObject({
	versionId: Id,
	componentId: ComponentId,
	version: Version,
	sha256: Sha256Hex,
	size: v.pipe(v.number(), v.integer(), v.minValue(0)),
	manifest: ManifestSchema,
	/**
	 * SCOMO-SEC-03: the MA's signature over packageSignedBytes() (sealed-package.ts): owner, manifest, digest
	 * and size. The device verifies it with the MA key it pinned before storing anything (1407 otherwise).
	 */
	signature: v.optional(Base64Url(256))
});

export const CommandOperation = v.strictObject({
	correlator: Correlator,
	kind: OperationKindSchema,
	componentId: v.nullable(ComponentId),
	version: v.nullable(Version),
	package: v.nullable(PackageRef)
});

/**
 * A command set: one or more operations of one MA for this device, confirmed once (SCOMO-ADC-2) and
 * executed in order. A single operation is a set of one.
 */
export const CommandSet = v.strictObject({
	batchId: v.nullable(Id),
	maId: Id,
	maName: HumanText(120),
	consentMode: ConsentModeSchema,
	intent: HumanText(500),
	issuedAt: v.number(),
	expiresAt: v.number(),
	operations: v.pipe(v.array(CommandOperation), v.minLength(1), v.maxLength(20)),
	/**
	 * SCOMO-SEC-01: the batch header signed once by the MA key, this device's Merkle leaf and proof, and an
	 * administrator's passkey assertion for high-risk batches (command-envelope.ts, docs/security.md). The
	 * device verifies it before acking, journaling or running anything.
	 */
	envelope: v.optional(SignedEnvelopeSchema),
	/** The MA's current trust statement (keys, approving passkeys, high-risk policy), signed by the MA keys. */
	trust: v.optional(SignedTrustSchema)
});

export const RequestDecided = v.strictObject({
	requestId: Id,
	status: v.picklist(['approved', 'refused']),
	correlator: v.nullable(Correlator),
	message: HumanText(500)
});

/**
 * The MA withdraws operations it sent to this device (an administrator cancelled them after delivery, maybe
 * while the user is being asked). Signed by the MA's command key over core withdrawMessage(), so nobody else
 * can withdraw; the device ends each one not yet started with 1462 and acks which ones it withdrew.
 */
export const Withdraw = v.strictObject({
	maId: Id,
	deviceId: Id,
	correlators: v.pipe(v.array(Correlator), v.minLength(1), v.maxLength(100)),
	keyId: Id,
	signature: Base64Url(256)
});

/**
 * The MA decommissions this device (issue #17): the device erases that MA's components (stopping running
 * ones), its journal and results, its trust statement and keys, then acks. Signed by the MA's command key over
 * core decommissionMessage(), bound to the enrollment it ends (`enrolledAt`), so neither a relay nor another MA
 * can wipe a device, and an old one replayed after a re-enrollment erases nothing. Queued while the device is
 * offline and sent on each connection until acked.
 */
export const Decommission = v.strictObject({
	maId: Id,
	deviceId: Id,
	/** The server's time of the enrollment this ends (EnrollResponse.enrolledAt, which the device pinned). */
	enrolledAt: v.pipe(v.number(), v.integer(), v.minValue(0)),
	nonce: Id,
	issuedAt: v.pipe(v.number(), v.integer(), v.minValue(0)),
	keyId: Id,
	signature: Base64Url(256)
});

export const ErrorEvent = v.strictObject({
	code: v.string(),
	message: v.string(),
	event: v.optional(v.string())
});

// ---------- device → server ----------

export const AuthProve = v.strictObject({ deviceId: Id, signature: Base64Url(256) });

export const DeviceInfo = v.strictObject({
	manufacturer: HumanText(80),
	model: HumanText(80),
	/** Reported for checking; the server keeps the one from first enrollment (SCOMO-HLFR-9). */
	baselineBuildId: BaselineId,
	softwareVersion: HumanText(80),
	/**
	 * SCOMO-SEC-01: the trust statement sequence number the device pinned per MA. After a database restore
	 * the server's number is lower (devices would ignore its statements); it continues above the reported one.
	 */
	trust: v.optional(v.pipe(v.array(v.strictObject({ maId: Id, seq: v.pipe(v.number(), v.integer(), v.minValue(1)) })), v.maxLength(64)))
});

const ByteCount = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));

/**
 * Progress of one operation: consent wait, Download status 30/40/50, or a step under way. While downloading
 * (30) the device reports how far it got, `bytesDone` of `bytesTotal` (the HTTP body's length, the sealed
 * size for a sealed package), at most every 250 ms or 5 % so the console can draw a bar; both together.
 */
export const Progress = v.pipe(
	v.strictObject({
		correlator: Correlator,
		phase: v.picklist(['awaiting-consent', 'in-progress']),
		downloadStatus: v.optional(v.picklist([10, 20, 30, 40, 50, 60, 70])),
		bytesDone: v.optional(ByteCount),
		bytesTotal: v.optional(ByteCount),
		/** Deprecated, ignored: older devices sent the stored size with status 40; accepted so they keep working. */
		bytes: v.optional(ByteCount)
	}),
	v.check(
		(p) => (p.bytesDone === undefined) === (p.bytesTotal === undefined) && (p.bytesDone === undefined || p.bytesDone <= p.bytesTotal!),
		'bytesDone and bytesTotal come together, bytesDone ≤ bytesTotal'
	)
);

/**
 * The device's report sequence: it grows with every change the device records (a result, a state change),
 * so the server never lets an older report overwrite a newer one when reports arrive reordered or twice.
 */
const ReportSeq = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));

/** SCOMO OperationComplete (urn:oma:at:scomo:1.0:OperationComplete): the result of one operation. */
export const OperationResult = v.strictObject({
	correlator: Correlator,
	resultCode: v.pipe(v.number(), v.integer(), v.minValue(1200), v.maxValue(1599)),
	message: v.optional(HumanText(500), ''),
	componentId: v.nullable(ComponentId),
	/** The component's inventory entry after the operation; null when absent (removed or never there). */
	entry: v.nullable(ComponentStateSchema),
	/** For Inventory: the components of the requesting MA on the device (SCOMO-ADC-3). */
	inventory: v.optional(v.pipe(v.array(ComponentStateSchema), v.maxLength(500))),
	completedAt: v.number(),
	/** The device's report sequence when it recorded this result (optional: absent = applied as it comes). */
	seq: v.optional(ReportSeq),
	/** SCOMO-SEC-02: the device key's Ed25519 signature over core resultMessage(deviceId, result); required by the server. */
	signature: v.optional(Base64Url(256))
});

/** The device's whole inventory, sent after authentication so the server's view is current. */
export const InventoryReport = v.strictObject({
	/** Each entry names its owning MA (maId): two MAs may use the same component ID. */
	components: v.pipe(v.array(OwnedComponentStateSchema), v.maxLength(500)),
	/** The device's report sequence at the time of the report: entries newer on the server are kept. */
	seq: v.optional(ReportSeq),
	/**
	 * MAs whose components the device leaves out because its user did not consent to share them (blocked, or
	 * refused their Inventory query): the server keeps what it last knew of them instead of dropping it.
	 */
	withheld: v.optional(v.pipe(v.array(Id), v.maxLength(100)))
});

/** An operational state change not caused by an operation (a component crashed or exited). */
export const ComponentStateChange = v.strictObject({
	/** The MA owning the component (component IDs are unique per MA); absent from older devices. */
	maId: v.optional(Id),
	componentId: ComponentId,
	operational: OperationalStateSchema,
	message: v.optional(HumanText(500), ''),
	seq: v.optional(ReportSeq)
});

/** SCOMO-Device-06: the device asks an MA for an install or update from its catalog. */
export const DeviceRequest = v.strictObject({
	maId: Id,
	kind: v.picklist(['DownloadInstall', 'Update']),
	componentId: ComponentId,
	version: v.nullable(Version),
	note: v.optional(HumanText(500), '')
});

export const CatalogQuery = v.strictObject({ maId: Id });
export const PackageTokenQuery = v.strictObject({ correlator: Correlator });

// ---------- acks ----------

export type Ack<T = object> = ({ ok: true } & T) | { ok: false; code: ErrorCode | string; message: string };
export type CommandAck = { ok: true; accepted: string[] } | { ok: false; code: string; message: string };
export type CatalogEntry = {
	componentId: string;
	name: string;
	description: string;
	versions: { version: string; permissions: string[]; compatible: boolean }[];
};

export type AuthChallengeMsg = v.InferOutput<typeof AuthChallenge>;
export type PackageRefMsg = v.InferOutput<typeof PackageRef>;
export type CommandOperationMsg = v.InferOutput<typeof CommandOperation>;
export type CommandSetMsg = v.InferOutput<typeof CommandSet>;
export type RequestDecidedMsg = v.InferOutput<typeof RequestDecided>;
export type WithdrawMsg = v.InferOutput<typeof Withdraw>;
/** withdrawn: ended with 1462 now; tooLate: already started or finished (their own result stands). */
export type WithdrawAck = { ok: true; withdrawn: string[]; tooLate: string[] } | { ok: false; code: string; message: string };
export type DecommissionMsg = v.InferOutput<typeof Decommission>;
/**
 * erased: the MA's components removed now (their IDs); held: false when the device holds nothing of the MA
 * (already erased, e.g. the first ack was lost): done either way. A refusal (bad signature, another
 * enrollment) is { ok: false } and erases nothing.
 */
export type DecommissionAck = { ok: true; erased: string[]; held: boolean } | { ok: false; code: string; message: string };
export type ErrorEventMsg = v.InferOutput<typeof ErrorEvent>;
export type AuthProveMsg = v.InferOutput<typeof AuthProve>;
export type DeviceInfoMsg = v.InferOutput<typeof DeviceInfo>;
export type ProgressMsg = v.InferOutput<typeof Progress>;
export type OperationResultMsg = v.InferOutput<typeof OperationResult>;
export type InventoryReportMsg = v.InferOutput<typeof InventoryReport>;
export type ComponentStateChangeMsg = v.InferOutput<typeof ComponentStateChange>;
export type DeviceRequestMsg = v.InferOutput<typeof DeviceRequest>;

/** socket.io typing: events the server emits to a device. */
export interface ServerToDeviceEvents {
	'auth:challenge': (msg: AuthChallengeMsg) => void;
	/** A full set, or the compact form on a connection whose device announced it (compact-set.ts). */
	commands: (msg: CommandSetMsg | CompactCommandSetMsg, ack: (res: CommandAck) => void) => void;
	'request:decided': (msg: RequestDecidedMsg) => void;
	withdraw: (msg: WithdrawMsg, ack: (res: WithdrawAck) => void) => void;
	decommission: (msg: DecommissionMsg, ack: (res: DecommissionAck) => void) => void;
	error: (msg: ErrorEventMsg) => void;
}

/** socket.io typing: events a device emits to the server. Every one is answered with an ack. */
export interface DeviceToServerEvents {
	'auth:prove': (msg: AuthProveMsg, ack: (res: Ack<{ deviceId: string; maIds: string[] }>) => void) => void;
	'device:info': (msg: DeviceInfoMsg, ack: (res: Ack) => void) => void;
	progress: (msg: ProgressMsg, ack: (res: Ack) => void) => void;
	result: (msg: OperationResultMsg, ack: (res: Ack<{ duplicate: boolean }>) => void) => void;
	inventory: (msg: InventoryReportMsg, ack: (res: Ack) => void) => void;
	'component:state': (msg: ComponentStateChangeMsg, ack: (res: Ack) => void) => void;
	request: (msg: DeviceRequestMsg, ack: (res: Ack<{ requestId: string }>) => void) => void;
	'catalog:list': (msg: v.InferOutput<typeof CatalogQuery>, ack: (res: Ack<{ entries: CatalogEntry[] }>) => void) => void;
	'package:token': (
		msg: v.InferOutput<typeof PackageTokenQuery>,
		ack: (res: Ack<{ url: string; expiresAt: number }>) => void
	) => void;
}

/** What a device sends with event E (the event map's first parameter). */
export type DevicePayload<E extends keyof DeviceToServerEvents> = Parameters<DeviceToServerEvents[E]>[0];
/** What the server answers to event E (the event map's ack parameter). */
export type DeviceAnswer<E extends keyof DeviceToServerEvents> = Parameters<Parameters<DeviceToServerEvents[E]>[1]>[0];

/**
 * The schema of every device→server event, typed by the event map: a schema whose output disagrees with the
 * map's payload does not compile, so the handlers may trust the map for what the schema let through.
 */
export const DEVICE_TO_SERVER_SCHEMAS: { [E in keyof DeviceToServerEvents]: v.GenericSchema<unknown, DevicePayload<E>> } = {
	'auth:prove': AuthProve,
	'device:info': DeviceInfo,
	progress: Progress,
	result: OperationResult,
	inventory: InventoryReport,
	'component:state': ComponentStateChange,
	request: DeviceRequest,
	'catalog:list': CatalogQuery,
	'package:token': PackageTokenQuery
};

/** Every event of the device protocol, for validation dispatch and the documentation check. */
export const DEVICE_EVENTS = {
	'auth:challenge': { from: 'server', schema: AuthChallenge, purpose: 'fresh nonce to sign, sent on connect' },
	commands: { from: 'server', schema: CommandSet, purpose: 'a command set to verify, confirm and execute; acked on receipt' },
	'request:decided': { from: 'server', schema: RequestDecided, purpose: 'outcome of a device request (Device-06)' },
	withdraw: { from: 'server', schema: Withdraw, purpose: 'MA-signed withdrawal of delivered operations (cancel); acked' },
	decommission: { from: 'server', schema: Decommission, purpose: 'MA-signed decommission: erase that MA’s data on the device; acked' },
	error: { from: 'server', schema: ErrorEvent, purpose: 'a rejected event, with a stable code' },
	'auth:prove': { from: 'device', schema: AuthProve, purpose: 'device ID and signature over the challenge' },
	'device:info': { from: 'device', schema: DeviceInfo, purpose: 'manufacturer, model, baseline, software version' },
	progress: { from: 'device', schema: Progress, purpose: 'consent wait, Download status 30/40/50, download bytes' },
	result: { from: 'device', schema: OperationResult, purpose: 'OperationComplete: result code per correlator' },
	inventory: { from: 'device', schema: InventoryReport, purpose: 'the full inventory after connecting' },
	'component:state': { from: 'device', schema: ComponentStateChange, purpose: 'operational state change (crash, exit)' },
	request: { from: 'device', schema: DeviceRequest, purpose: 'device-initiated install or update (Device-06)' },
	'catalog:list': { from: 'device', schema: CatalogQuery, purpose: "an MA's catalog for this device" },
	'package:token': { from: 'device', schema: PackageTokenQuery, purpose: 'a short-lived download URL for a command' }
} as const;

export type DeviceEventName = keyof typeof DEVICE_EVENTS;
