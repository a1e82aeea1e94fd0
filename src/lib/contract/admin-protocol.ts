/**
 * The live admin channel: socket.io namespace `/admin`, authenticated by the administrator's session
 * cookie (sent with the handshake). Each socket joins the room of the MA it acts within; it only ever
 * receives that MA's events (SCOMO-ADC-3). Read-only: every change goes through REST or form actions,
 * which pass the one authorisation policy.
 */
import type { RolloutView, RolloutPhaseView } from './rollouts';
import type { OperationStatus } from '../core/states';

export const ADMIN_NAMESPACE = '/admin';

/** One operation as the REST API shows it (GET /api/v1/operations/:correlator). */
export type OperationView = {
	id: string;
	correlator: string;
	batchId: string | null;
	seq: number;
	deviceId: string;
	kind: string;
	componentId: string | null;
	version: string | null;
	consentMode: string;
	/** The administrator's intent message the end user reads (SCOMO-USA-4). */
	intent: string;
	status: OperationStatus;
	downloadStatus: number | null;
	resultCode: number | null;
	resultName: string | null;
	resultMessage: string | null;
	createdAt: number;
	deliveredAt: number | null;
	completedAt: number | null;
	expiresAt: number;
	/** When an administrator cancelled it after delivery: the device is withdrawing it (ends 1462, or its own result). */
	cancelRequestedAt: number | null;
};

/** One device as the REST API and the console show it (GET /api/v1/devices). */
export type DeviceView = {
	id: string;
	/** The asking MA's name for the device (its enrollment label until renamed); '' when it has none. */
	name: string;
	/** The asking MA's notes on the device. */
	notes: string;
	/** The asking MA's tags: a key alone (value null) or key=value. */
	tags: { key: string; value: string | null }[];
	manufacturer: string;
	model: string;
	baselineBuildId: string;
	softwareVersion: string;
	kind: string;
	online: boolean;
	lastSeenAt: number | null;
	enrolledAt: number;
};

/** One inventory entry of a device, of the asking MA's components only (SCOMO-ADC-3). */
export type InventoryItemView = {
	componentId: string;
	stage: 'delivered' | 'deployed';
	version: string;
	state: 'Active' | 'Inactive' | null;
	operational: string | null;
	updatedAt: number;
};

/** The live event carries exactly the REST view, so the console renders both the same way. */
export type AdminOperationEvent = OperationView;

export type AdminInventoryEvent = { deviceId: string; inventory: InventoryItemView[] };

export type AdminProgressEvent = {
	/** The operation (its id, as in OperationView) and where it runs. */
	id: string;
	correlator: string;
	batchId: string | null;
	deviceId: string;
	phase: 'awaiting-consent' | 'in-progress';
	/** SCOMO Download status: 30 downloading, 40 downloaded, 50 installing; null before any. */
	downloadStatus: number | null;
	/** Download bytes so far and in all; null when the device has not reported any. */
	bytesDone: number | null;
	bytesTotal: number | null;
	at: number;
};

/** The live events of an MA, as the console handles them; on the wire they travel inside `live` batches. */
export interface AdminLiveEvents {
	/** An operation of this MA was created or changed (SCOMO-DMS-05: results arrive live). */
	operation: (op: AdminOperationEvent) => void;
	'device:status': (msg: { deviceId: string; online: boolean }) => void;
	/**
	 * A device's inventory changed: `inventory` is this MA's part of it now (SCOMO-ADC-3), whole, so a console
	 * replaces what it shows of that device instead of reloading the page.
	 */
	'inventory:changed': (msg: AdminInventoryEvent) => void;
	/**
	 * How far an operation got on its device, live and not stored: the phase and, while downloading, the bytes.
	 * Sent at the device's pace (at most every 250 ms or 5 %); the `operation` event carries the stored status.
	 */
	'operation:progress': (msg: AdminProgressEvent) => void;
	/** SCOMO-Device-06: a device asked this MA for an install or update. */
	'device-request': (msg: { id: string; deviceId: string; componentId: string; kind: string }) => void;
	/**
	 * A rollout changed (status, phase, tallies): the rollout with its per-phase tallies as GET
	 * /api/v1/rollouts/{id} has them (without definition and timeline). At most one per rollout per turn.
	 */
	rollout: (msg: { rollout: RolloutView; phases: RolloutPhaseView[] }) => void;
}

export type AdminLiveEventName = keyof AdminLiveEvents;

/** One live event inside a batch: its name and the payload its AdminLiveEvents listener takes. */
export type AdminLiveItem = { [K in AdminLiveEventName]: { event: K; data: Parameters<AdminLiveEvents[K]>[0] } }[AdminLiveEventName];

export interface ServerToAdminEvents {
	/**
	 * The MA's live events of one server event-loop turn, in order, as one message (many results arriving at
	 * once cost one frame per console, not one each). Within a batch an operation appears once, with its latest
	 * view, and a device's inventory once.
	 */
	live: (items: AdminLiveItem[]) => void;
	/** The session ended (signed out, removed from the MA): the console should go to sign-in. */
	'session:ended': (msg: { reason: string }) => void;
}

/** Every event of the /admin namespace, for the documentation check (the satisfies-clause keeps it complete). */
export const ADMIN_EVENTS = ['live', 'session:ended'] as const;
type Missing = Exclude<keyof ServerToAdminEvents, (typeof ADMIN_EVENTS)[number]>;
/** Compile-time: `never` unless an event of ServerToAdminEvents is missing from ADMIN_EVENTS. */
export const ADMIN_EVENTS_COMPLETE: [Missing] extends [never] ? true : Missing = true;

/** Every live event carried in `live` batches, for the documentation check. */
export const ADMIN_LIVE_EVENTS = ['operation', 'operation:progress', 'device:status', 'inventory:changed', 'device-request', 'rollout'] as const;
type MissingLive = Exclude<AdminLiveEventName, (typeof ADMIN_LIVE_EVENTS)[number]>;
/** Compile-time: `never` unless a live event is missing from ADMIN_LIVE_EVENTS. */
export const ADMIN_LIVE_EVENTS_COMPLETE: [MissingLive] extends [never] ? true : MissingLive = true;

/**
 * Sent with the handshake. `maId` names the MA the console shows; an MA the administrator is not a
 * member of is refused like a missing one ('not_found'), never silently replaced by another MA.
 * Without it, the MA switcher's cookie (or the first membership) decides, as for pages.
 */
export type AdminHandshakeAuth = { maId?: string };

/** Why a handshake was refused (the `connect_error` message): stable codes from contract/errors.ts. */
export const ADMIN_CONNECT_ERRORS = ['unauthenticated', 'not_found', 'forbidden', 'internal'] as const;

/** Rooms: one per MA for its events, one per administrator so sign-out can close their sockets. */
export const maRoom = (maId: string) => `ma:${maId}`;
export const adminRoom = (adminId: string) => `admin:${adminId}`;
