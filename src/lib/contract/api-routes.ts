/**
 * THE registry of the REST API: every route under /api/v1 and /api/device with its access rule, path
 * parameters, query, body, success answer and error codes. The route handlers are built from these entries
 * (src/lib/server/api-endpoint.ts parses the query and body and authorises with them) and the OpenAPI
 * document is generated from them (openapi.ts), so what is published is what is enforced. A unit test fails
 * when a +server.ts under src/routes/api exports a method without an entry here.
 */
import * as v from 'valibot';
import type { Action, ResourceKind } from '../core/policy';
import { OperationStatusSchema, Id } from './common';
import { MIN_ROTATION_OVERLAP_SECONDS } from '../core/key-rotation';
import type { ErrorCode } from './errors';
import { RolloutActionBody, RolloutDefinitionSchema, RolloutDetailSchema, RolloutDevicePageSchema, RolloutDevicesQuery, RolloutPageSchema, RolloutsQuery, RolloutViewSchema } from './rollouts';
import { CreateEnrollmentCode, CreateOperations, DecideDeviceRequest, DecommissionDevice, EnrollRequest, UpdateDevice, UploadPackage } from './rest';
import {
	CreatedEnrollmentCodeSchema,
	CreatedOperationsSchema,
	DecidedDeviceRequestSchema,
	DecommissionedSchema,
	DeviceDetailSchema,
	DeviceViewSchema,
	EnrollResponseSchema,
	ListOf,
	OperationViewSchema,
	PackageViewSchema,
	RevokedSchema,
	RotatedKeySchema,
	UploadedPackageSchema
} from './rest-responses';
import { GROUP_ROUTES } from './api-routes-groups';

export const API_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type ApiMethod = (typeof API_METHODS)[number];

/**
 * Who may call a route. `bearer`: an MA API token (or an administrator's session cookie) whose role or scope
 * allows `action` on `kind` in its MA, through the one policy (core/policy.ts); with `param`, the resource
 * named by that path parameter must also belong to the MA (else 404, like a missing one). `public`: no
 * token; the body or the path carries the credential (enrollment code, download token).
 */
export type RouteAccess =
	| { type: 'bearer'; action: Action; kind: ResourceKind; param?: string }
	| { type: 'public'; credential: string };

export type RouteSpec = {
	summary: string;
	description: string;
	tag: 'Operations' | 'Rollouts' | 'Devices' | 'Groups' | 'Enrollment' | 'Packages' | 'Device requests' | 'Signing keys' | 'Device endpoints' | 'Meta';
	access: RouteAccess;
	/** Path parameters, `{name}` in the path, with what they name. */
	params?: Record<string, string>;
	/** Query parameters; every one optional; unknown ones are ignored. */
	query?: v.ObjectSchema<v.ObjectEntries, undefined>;
	/** The JSON body; `bodyOptional` when an empty body means all defaults. */
	body?: v.GenericSchema;
	bodyOptional?: boolean;
	/** Largest body in bytes (default 64 KiB). */
	bodyLimit?: 'default' | 'operations' | 'upload';
	success: { status: 200 | 201 | 202 | 204; description: string; schema?: v.GenericSchema; contentType?: string };
	/** Error codes this route answers besides those every route may answer (400 invalid JSON, 500 internal). */
	errors: readonly ErrorCode[];
};

const AUTH_ERRORS: readonly ErrorCode[] = ['unauthenticated', 'forbidden'];

/** The page size and position every paged list takes (keyset cursors, `{items, nextCursor, total}` back). `limit` arrives as text. */
const PAGE_QUERY = {
	limit: v.optional(
		v.pipe(
			v.string(),
			v.description('at most this many per page: a whole number from 1 to 1000 (default 100)'),
			v.regex(/^[1-9][0-9]{0,3}$/, 'limit must be a whole number from 1 to 1000'),
			v.transform(Number),
			v.maxValue(1000, 'limit must be a whole number from 1 to 1000')
		)
	),
	cursor: v.optional(v.pipe(v.string(), v.maxLength(400), v.description('the `nextCursor` of the previous page')))
};
const PAGING =
	'One page at a time: pass `nextCursor` back as `cursor` (with the same filters) for the next page (null on the last); `total` counts ' +
	'every match. A cursor this list did not give out answers 400 invalid_request.';

/** Query of the lists with no filter of their own. */
export const PageQuerySchema = v.object({ ...PAGE_QUERY });

/** Query: the filters of GET /api/v1/operations. `limit` arrives as text. */
export const OperationsQuery = v.object({
	deviceId: v.optional(v.pipe(Id, v.description('only this device’s operations'))),
	status: v.optional(v.pipe(OperationStatusSchema, v.description('only operations in this status'))),
	batchId: v.optional(v.pipe(Id, v.description('only this batch’s operations'))),
	...PAGE_QUERY
});

/** Query of GET /api/v1/devices: a filter, a page size and where the previous page ended. */
export const DevicesQuery = v.object({
	filter: v.optional(v.pipe(v.string(), v.maxLength(2000), v.description('a device filter, e.g. `tag == lobby and last_seen < 7d` (docs/device-filter.md)'))),
	...PAGE_QUERY
});

export const DeviceRequestsQuery = v.object({
	status: v.optional(v.picklist(['pending', 'approved', 'refused'], 'status must be one of pending, approved, refused')),
	...PAGE_QUERY
});

export const API_ROUTES = {
	'GET /api/v1/openapi.json': {
		tag: 'Meta',
		summary: 'This API described as OpenAPI 3.1',
		description: 'Generated from the same schemas the routes validate with. The reference page is /api/docs.',
		access: { type: 'public', credential: 'none' },
		success: { status: 200, description: 'the OpenAPI document', schema: v.looseObject({ openapi: v.literal('3.1.0') }) },
		errors: []
	},
	'POST /api/v1/operations': {
		tag: 'Operations',
		summary: 'Create operations on devices',
		description:
			'One step or a sequence (e.g. DownloadInstall then Start) for one or many devices, confirmed once per device (SCOMO-ADC-2). ' +
			'Committed before anything is relayed; each device gets one signed command set (docs/protocol.md). Invalid steps for a device’s current ' +
			'inventory are refused by the device with the result code of the state table, not here.',
		access: { type: 'bearer', action: 'operate', kind: 'operation' },
		body: CreateOperations,
		bodyLimit: 'operations',
		success: { status: 202, description: 'the operations, one per device and step, queued or delivered', schema: CreatedOperationsSchema },
		errors: ['invalid_request', ...AUTH_ERRORS, 'not_found', 'payload_too_large']
	},
	'GET /api/v1/operations': {
		tag: 'Operations',
		summary: 'List operations',
		description:
			'One page at a time, newest first (then batch order, then ID), filtered by device, status or batch. Pass `nextCursor` back as ' +
			'`cursor` (with the same filters) for the next page; `total` counts every matching operation. A cursor this list did not give ' +
			'out answers 400 invalid_request.',
		access: { type: 'bearer', action: 'read', kind: 'operation' },
		query: OperationsQuery,
		success: { status: 200, description: 'one page of the matching operations', schema: ListOf.operations },
		errors: ['invalid_request', ...AUTH_ERRORS]
	},
	'GET /api/v1/operations/{correlator}': {
		tag: 'Operations',
		summary: 'One operation',
		description: 'Its status, SCOMO download status and result code (SCOMO-DMS-05).',
		access: { type: 'bearer', action: 'read', kind: 'operation', param: 'correlator' },
		params: { correlator: 'the operation’s correlator' },
		success: { status: 200, description: 'the operation', schema: OperationViewSchema },
		errors: [...AUTH_ERRORS, 'not_found']
	},
	'POST /api/v1/operations/{correlator}/cancel': {
		tag: 'Operations',
		summary: 'Cancel an operation',
		description: 'A queued or delivered operation ends cancelled with result 1462.',
		access: { type: 'bearer', action: 'operate', kind: 'operation', param: 'correlator' },
		params: { correlator: 'the operation’s correlator' },
		success: { status: 200, description: 'the cancelled operation', schema: OperationViewSchema },
		errors: [...AUTH_ERRORS, 'not_found', 'conflict']
	},
	'GET /api/v1/rollouts': {
		tag: 'Rollouts',
		summary: 'List rollouts',
		description: 'Newest first, optionally by status, one keyset page at a time (`nextCursor` back as `cursor`); `total` counts every match. docs/rollouts.md.',
		access: { type: 'bearer', action: 'read', kind: 'rollout' },
		query: RolloutsQuery,
		success: { status: 200, description: 'one page of rollouts with their tallies', schema: RolloutPageSchema },
		errors: ['invalid_request', ...AUTH_ERRORS]
	},
	'POST /api/v1/rollouts': {
		tag: 'Rollouts',
		summary: 'Create a rollout (a draft)',
		description:
			'A staged rollout: target (device filter or group), steps (an operation batch), phases with success, error and refusal thresholds, ' +
			'schedule, rate, maintenance windows, retries and in-progress timeout. Nothing is sent until it is started. docs/rollouts.md.',
		access: { type: 'bearer', action: 'operate', kind: 'rollout' },
		body: RolloutDefinitionSchema,
		success: { status: 201, description: 'the new rollout', schema: RolloutViewSchema },
		errors: ['invalid_request', ...AUTH_ERRORS, 'not_found']
	},
	'GET /api/v1/rollouts/{id}': {
		tag: 'Rollouts',
		summary: 'One rollout',
		description: 'Its definition, status, per-phase tallies (succeeded / failed / refused / pending) and timeline (the audit rows of its actions and phase changes).',
		access: { type: 'bearer', action: 'read', kind: 'rollout', param: 'id' },
		params: { id: 'the rollout ID' },
		success: { status: 200, description: 'the rollout', schema: RolloutDetailSchema },
		errors: [...AUTH_ERRORS, 'not_found']
	},
	'GET /api/v1/rollouts/{id}/devices': {
		tag: 'Rollouts',
		summary: 'A rollout’s devices',
		description: 'In phase, then device order, one keyset page at a time, each with its state, tries and the live operation of its current try (delivered, awaiting consent, downloading with bytes).',
		access: { type: 'bearer', action: 'read', kind: 'rollout', param: 'id' },
		params: { id: 'the rollout ID' },
		query: RolloutDevicesQuery,
		success: { status: 200, description: 'one page of the rollout’s devices', schema: RolloutDevicePageSchema },
		errors: ['invalid_request', ...AUTH_ERRORS, 'not_found']
	},
	'POST /api/v1/rollouts/{id}/start': {
		tag: 'Rollouts',
		summary: 'Start a rollout',
		description: 'A draft starts: a high-risk one waits for its passkey approval, one with a start time ahead is scheduled, any other runs at once.',
		access: { type: 'bearer', action: 'operate', kind: 'rollout', param: 'id' },
		params: { id: 'the rollout ID' },
		success: { status: 200, description: 'the rollout as it is now', schema: RolloutViewSchema },
		errors: [...AUTH_ERRORS, 'not_found', 'conflict']
	},
	'POST /api/v1/rollouts/{id}/pause': {
		tag: 'Rollouts',
		summary: 'Pause a rollout',
		description: 'No device starts until it is resumed; devices under way finish and their results count.',
		access: { type: 'bearer', action: 'operate', kind: 'rollout', param: 'id' },
		params: { id: 'the rollout ID' },
		body: RolloutActionBody,
		bodyOptional: true,
		success: { status: 200, description: 'the rollout as it is now', schema: RolloutViewSchema },
		errors: ['invalid_request', ...AUTH_ERRORS, 'not_found', 'conflict']
	},
	'POST /api/v1/rollouts/{id}/resume': {
		tag: 'Rollouts',
		summary: 'Resume a rollout, or confirm its phase',
		description: 'A paused rollout runs again (a phase paused on a threshold accepts the failures and refusals it has now); a phase awaiting confirmation is confirmed and the next one starts.',
		access: { type: 'bearer', action: 'operate', kind: 'rollout', param: 'id' },
		params: { id: 'the rollout ID' },
		body: RolloutActionBody,
		bodyOptional: true,
		success: { status: 200, description: 'the rollout as it is now', schema: RolloutViewSchema },
		errors: ['invalid_request', ...AUTH_ERRORS, 'not_found', 'conflict']
	},
	'POST /api/v1/rollouts/{id}/abort': {
		tag: 'Rollouts',
		summary: 'Abort a rollout',
		description: 'Waiting devices are withdrawn, commands not yet run on a device are withdrawn (1462); those already running finish.',
		access: { type: 'bearer', action: 'operate', kind: 'rollout', param: 'id' },
		params: { id: 'the rollout ID' },
		body: RolloutActionBody,
		bodyOptional: true,
		success: { status: 200, description: 'the rollout as it is now', schema: RolloutViewSchema },
		errors: ['invalid_request', ...AUTH_ERRORS, 'not_found', 'conflict']
	},
	'POST /api/v1/rollouts/{id}/retry-failures': {
		tag: 'Rollouts',
		summary: 'Retry a rollout’s failed devices',
		description: 'Failed devices of the phases reached so far wait for another try.',
		access: { type: 'bearer', action: 'operate', kind: 'rollout', param: 'id' },
		params: { id: 'the rollout ID' },
		success: { status: 200, description: 'the rollout as it is now', schema: RolloutViewSchema },
		errors: [...AUTH_ERRORS, 'not_found', 'conflict']
	},
	'GET /api/v1/devices': {
		tag: 'Devices',
		summary: 'List the devices enrolled with this MA',
		description:
			'One page at a time in name order (then device ID), filtered with the device filter language (docs/device-filter.md), e.g. ' +
			'`tag == lobby and online == true` or just `Lobby` (names containing it). Pass `nextCursor` back as `cursor` for the next page; ' +
			'`total` counts every matching device. A filter that does not parse answers 400 invalid_request with `position`, the character ' +
			'where reading stopped. Devices that left the MA or were revoked are not listed.',
		access: { type: 'bearer', action: 'read', kind: 'device' },
		query: DevicesQuery,
		success: { status: 200, description: 'one page of the matching devices', schema: ListOf.devices },
		errors: ['invalid_request', ...AUTH_ERRORS]
	},
	'PATCH /api/v1/devices/{id}': {
		tag: 'Devices',
		summary: 'Rename a device, or change its notes or tags',
		description:
			'This MA’s name, notes and tags of the device (another MA that enrolled the same device has its own). Only the fields given ' +
			'change; `tags` replaces the whole set. Audited as device.update.',
		access: { type: 'bearer', action: 'operate', kind: 'device', param: 'id' },
		params: { id: 'the device ID' },
		body: UpdateDevice,
		success: { status: 200, description: 'the device as it is now', schema: DeviceViewSchema },
		errors: ['invalid_request', ...AUTH_ERRORS, 'not_found']
	},
	'GET /api/v1/devices/{id}': {
		tag: 'Devices',
		summary: 'One device',
		description: 'With this MA’s part of its inventory only (SCOMO-ADC-3).',
		access: { type: 'bearer', action: 'read', kind: 'device', param: 'id' },
		params: { id: 'the device ID' },
		success: { status: 200, description: 'the device and its inventory', schema: DeviceDetailSchema },
		errors: [...AUTH_ERRORS, 'not_found']
	},
	'GET /api/v1/devices/{id}/inventory': {
		tag: 'Devices',
		summary: 'A device’s inventory',
		description: 'Only the components this MA owns (SCOMO-ADC-3, SCOMO-DMS-04).',
		access: { type: 'bearer', action: 'read', kind: 'device', param: 'id' },
		params: { id: 'the device ID' },
		success: { status: 200, description: 'the inventory entries', schema: ListOf.inventory },
		errors: [...AUTH_ERRORS, 'not_found']
	},
	'POST /api/v1/devices/{id}/revoke': {
		tag: 'Devices',
		summary: 'Revoke a device’s enrollment',
		description:
			'Ends the device’s enrollment with this MA; its open operations there end with 1462. A device left with no MA is revoked ' +
			'outright: its connection is closed and it is refused from then on (SCOMO-SEC-02).',
		access: { type: 'bearer', action: 'operate', kind: 'device', param: 'id' },
		params: { id: 'the device ID' },
		success: { status: 200, description: 'what was revoked', schema: RevokedSchema },
		errors: [...AUTH_ERRORS, 'not_found']
	},
	'POST /api/v1/devices/{id}/decommission': {
		tag: 'Devices',
		summary: 'Decommission a device from this MA',
		description:
			'Ends the device’s enrollment with this MA and erases this MA’s data of it: on the server its inventory of this MA’s ' +
			'components, name, notes, tags and pending requests (the operation history and the audit trail stay, as records); on ' +
			'the device, by a message the MA key signs, its components (stopped first), queued commands, results and the MA’s trust. ' +
			'Open operations end with 1462. A device that is offline is told on its next connection. Other MAs keep the device. ' +
			'The body repeats the device ID as the confirmation. Owners and operators (and operate tokens): ‘operate’ on the device.',
		access: { type: 'bearer', action: 'operate', kind: 'device', param: 'id' },
		params: { id: 'the device ID' },
		body: DecommissionDevice,
		success: { status: 200, description: 'what was decommissioned', schema: DecommissionedSchema },
		errors: ['invalid_request', ...AUTH_ERRORS, 'not_found']
	},
	...GROUP_ROUTES,
	'POST /api/v1/enrollment-codes': {
		tag: 'Enrollment',
		summary: 'Create a one-time enrollment code',
		description: 'One code enrolls one device, once; 24 hours by default. Only its SHA-256 is stored, so the code is shown only here.',
		access: { type: 'bearer', action: 'operate', kind: 'enrollment-code' },
		body: CreateEnrollmentCode,
		success: { status: 201, description: 'the code and its enrollment link', schema: CreatedEnrollmentCodeSchema },
		errors: ['invalid_request', ...AUTH_ERRORS]
	},
	'GET /api/v1/enrollment-codes': {
		tag: 'Enrollment',
		summary: 'List enrollment codes',
		description: `Newest first, without the codes themselves. ${PAGING}`,
		access: { type: 'bearer', action: 'read', kind: 'enrollment-code' },
		query: PageQuerySchema,
		success: { status: 200, description: 'one page of the codes', schema: ListOf.enrollmentCodes },
		errors: ['invalid_request', ...AUTH_ERRORS]
	},
	'DELETE /api/v1/enrollment-codes/{id}': {
		tag: 'Enrollment',
		summary: 'Revoke an enrollment code',
		description: 'A revoked code enrolls nothing.',
		access: { type: 'bearer', action: 'operate', kind: 'enrollment-code', param: 'id' },
		params: { id: 'the enrollment code’s ID (not the code)' },
		success: { status: 204, description: 'revoked' },
		errors: [...AUTH_ERRORS, 'not_found']
	},
	'POST /api/v1/packages': {
		tag: 'Packages',
		summary: 'Upload a package version',
		description:
			'A manifest and a JavaScript bundle (UTF-8 text, or base64 with encoding "base64"); signed with the MA’s key on upload (SCOMO-SEC-03). ' +
			'A body whose only problems are in the manifest answers 422 package_invalid.',
		access: { type: 'bearer', action: 'operate', kind: 'package' },
		body: UploadPackage,
		bodyLimit: 'upload',
		success: { status: 201, description: 'the new version', schema: UploadedPackageSchema },
		errors: ['invalid_request', ...AUTH_ERRORS, 'conflict', 'payload_too_large', 'package_invalid']
	},
	'GET /api/v1/packages': {
		tag: 'Packages',
		summary: 'List this MA’s packages',
		description: `In component ID order, each with every version. ${PAGING}`,
		access: { type: 'bearer', action: 'read', kind: 'package' },
		query: PageQuerySchema,
		success: { status: 200, description: 'one page of the packages', schema: ListOf.packages },
		errors: ['invalid_request', ...AUTH_ERRORS]
	},
	'GET /api/v1/packages/{componentId}': {
		tag: 'Packages',
		summary: 'One package',
		description: 'With every version.',
		access: { type: 'bearer', action: 'read', kind: 'package', param: 'componentId' },
		params: { componentId: 'the component ID, e.g. com.example.clock' },
		success: { status: 200, description: 'the package', schema: PackageViewSchema },
		errors: [...AUTH_ERRORS, 'not_found']
	},
	'GET /api/v1/device-requests': {
		tag: 'Device requests',
		summary: 'List device requests',
		description: `Installs and updates devices asked for (SCOMO-Device-06), newest first, optionally in one status. ${PAGING}`,
		access: { type: 'bearer', action: 'read', kind: 'device-request' },
		query: DeviceRequestsQuery,
		success: { status: 200, description: 'one page of the requests', schema: ListOf.deviceRequests },
		errors: ['invalid_request', ...AUTH_ERRORS]
	},
	'POST /api/v1/device-requests/{id}/decision': {
		tag: 'Device requests',
		summary: 'Approve or refuse a device request',
		description:
			'Approval creates a normal operation (kind and version as requested) with the consent mode given here (default confirm) and the ' +
			'message as its intent; the device learns the outcome through request:decided.',
		access: { type: 'bearer', action: 'operate', kind: 'device-request', param: 'id' },
		params: { id: 'the device request’s ID' },
		body: DecideDeviceRequest,
		success: { status: 200, description: 'the decided request and the operation it created', schema: DecidedDeviceRequestSchema },
		errors: ['invalid_request', ...AUTH_ERRORS, 'not_found', 'conflict']
	},
	'GET /api/v1/signing-keys': {
		tag: 'Signing keys',
		summary: 'The MA’s command-signing public keys',
		description: 'The current key and rotated keys still in their overlap (SCOMO-SEC-01).',
		access: { type: 'bearer', action: 'read', kind: 'settings' },
		success: { status: 200, description: 'the keys', schema: ListOf.signingKeys },
		errors: AUTH_ERRORS
	},
	'POST /api/v1/signing-keys/rotate': {
		tag: 'Signing keys',
		summary: 'Rotate the command-signing key',
		description:
			'Owners only (an administrator session; API tokens never manage). The old key stays valid for overlapSeconds (default 7 days); ' +
			'devices receive the new key in a trust statement signed by the old one. The overlap is at least one day, so devices that are offline meanwhile are not stranded. An empty body means the defaults.',
		access: { type: 'bearer', action: 'manage', kind: 'settings' },
		body: v.strictObject({
			overlapSeconds: v.optional(
				v.pipe(
					v.number(),
					v.integer(),
					v.minValue(
						MIN_ROTATION_OVERLAP_SECONDS,
						`overlapSeconds must be at least ${MIN_ROTATION_OVERLAP_SECONDS} (one day): devices learn the new key only with their next command, signed by the old key too; a shorter overlap strands devices that are offline meanwhile (they must re-enroll)`
					),
					v.maxValue(90 * 24 * 3600)
				)
			)
		}),
		bodyOptional: true,
		success: { status: 201, description: 'the new key and the retiring one', schema: RotatedKeySchema },
		errors: ['invalid_request', ...AUTH_ERRORS]
	},
	'POST /api/device/enroll': {
		tag: 'Device endpoints',
		summary: 'Enroll a device with a one-time code',
		description:
			'The enrollment code and the proof of key possession are the credentials (docs/protocol.md, "Enrollment"). Returns the MA’s ' +
			'signed trust statement, which the device pins.',
		access: { type: 'public', credential: 'the enrollment code in the body' },
		body: EnrollRequest,
		success: { status: 201, description: 'the device’s ID, its MA and the trust statement', schema: EnrollResponseSchema },
		errors: ['invalid_request', 'enrollment_code_invalid', 'device_auth_failed', 'device_unknown', 'rate_limited']
	},
	'GET /api/device/bundles/{token}': {
		tag: 'Device endpoints',
		summary: 'Download a package bundle',
		description:
			'The sealed package (application/vnd.scomo.sealed-package) for a device that registered an encryption key, else the plaintext ' +
			'bundle (application/javascript, with x-content-sha256). Format in docs/protocol.md, "Sealed packages".',
		access: { type: 'public', credential: 'the download token in the path' },
		params: { token: 'a download token from the package:token event' },
		success: { status: 200, description: 'the bundle bytes', contentType: 'application/vnd.scomo.sealed-package' },
		errors: ['download_token_invalid']
	}
} satisfies Record<string, RouteSpec>;

export type ApiRouteKey = keyof typeof API_ROUTES;
