/**
 * Shapes the admin console's pages and components share. What the server sends (devices, inventory,
 * operations) is typed by the wire contract (contract/admin-protocol.ts), which the server's views use too;
 * only the console's own shapes (dialog drafts, choices) are defined here.
 */
import type { AdminOperationEvent } from '../contract/admin-protocol';
import type { ConsentMode, OperationKind } from '../core';

/** One operation as the console shows it; a live `operation` event has exactly this shape. */
export type OpRow = AdminOperationEvent;

/** A component of the MA's catalog with the versions an operation may name (newest first). */
export type ComponentChoice = {
	componentId: string;
	name: string;
	versions: { version: string; compatibleBaselines: string[]; permissions: string[] }[];
};

/**
 * A device the operation dialog offers to pick (when it was opened from a component), with the version of
 * that component it has installed, if any: an Update offers only versions newer than every picked one's.
 */
export type DevicePick = { id: string; label: string; online: boolean; installed?: string | null };

/** One step of a batch: an operation, its component and (for the Download kinds and Update) the version. */
export type StepDraft = { kind: OperationKind; componentId: string; version: string };

export type ConsentChoice = { allowed: ConsentMode[] };

/** Whom an operation targets: named devices, or every device matching a devices-list filter (query string). */
export type OperationTarget = { deviceIds: string[] } | { filter: string };
