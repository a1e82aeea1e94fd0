/**
 * Shapes the admin console's pages and components share. They mirror the server's views (REST
 * /api/v1 and the /admin socket events) without importing server code into the browser bundle.
 */
import type { AdminOperationEvent } from '../contract/admin-protocol';
import type { ConsentMode, OperationKind } from '../core';

/** One operation as the console shows it; a live `operation` event has exactly this shape. */
export type OpRow = AdminOperationEvent;

export type DeviceRow = {
	id: string;
	manufacturer: string;
	model: string;
	baselineBuildId: string;
	softwareVersion: string;
	kind: string;
	online: boolean;
	lastSeenAt: number | null;
	enrolledAt: number;
};

export type InventoryItem = {
	componentId: string;
	stage: 'delivered' | 'deployed';
	version: string;
	state: 'Active' | 'Inactive' | null;
	operational: string | null;
	updatedAt: number;
};

/** A component of the MA's catalog with the versions an operation may name (newest first). */
export type ComponentChoice = {
	componentId: string;
	name: string;
	versions: { version: string; compatibleBaselines: string[]; permissions: string[] }[];
};

/** A device the operation dialog offers to pick (when it was opened from a component). */
export type DevicePick = { id: string; label: string; online: boolean };

/** One step of a batch: an operation, its component and (for the Download kinds and Update) the version. */
export type StepDraft = { kind: OperationKind; componentId: string; version: string };

export type ConsentChoice = { allowed: ConsentMode[] };

/** Whom an operation targets: named devices, or every device matching a devices-list filter (query string). */
export type OperationTarget = { deviceIds: string[] } | { filter: string };
