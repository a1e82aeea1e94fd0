/**
 * What the REST API and the event bus show of each record (published in src/lib/contract/rest-responses.ts and the OpenAPI document). Rows stay inside
 * the server; these shapes are the public contract of /api/v1.
 */
import { resultCodeName, type OperationStatus } from '../../core';
import type { DeviceView, InventoryItemView, OperationView } from '../../contract/admin-protocol';
import type { OperationRow } from '../db/repos/operations';
import type { DeviceRow } from '../db/repos/devices';
import type { InventoryRow } from '../db/repos/inventory';
import type { EnrollmentCodeRow } from '../db/repos/enrollment-codes';
import type { DeviceRequestRow } from '../db/repos/device-requests';
import type { PackageRow, PackageVersionRow } from '../db/repos/packages';

// The shapes live in the wire contract, shared with the console; views.ts only maps rows onto them.
export type { DeviceView, InventoryItemView, OperationView };

export const operationView = (r: OperationRow): OperationView => ({
	id: r.id,
	correlator: r.correlator,
	batchId: r.batchId,
	seq: r.seq,
	deviceId: r.deviceId,
	kind: r.kind,
	componentId: r.componentId,
	version: r.targetVersion,
	consentMode: r.consentMode,
	intent: r.intent,
	status: r.status as OperationStatus,
	downloadStatus: r.downloadStatus,
	resultCode: r.resultCode,
	resultName: r.resultCode === null ? null : resultCodeName(r.resultCode),
	resultMessage: r.resultMessage,
	createdAt: r.createdAt,
	deliveredAt: r.deliveredAt,
	completedAt: r.completedAt,
	expiresAt: r.expiresAt,
	cancelRequestedAt: r.cancelRequestedAt
});

/** A device as one MA sees it: the row with that MA's enrollment (name, notes) and tags. */
export const deviceView = (
	d: DeviceRow & { enrolledAt: number; name: string; notes: string },
	tags: readonly { key: string; value: string | null }[],
	online: boolean
): DeviceView => ({
	id: d.id,
	name: d.name,
	notes: d.notes,
	tags: tags.map((t) => ({ key: t.key, value: t.value })),
	manufacturer: d.manufacturer,
	model: d.model,
	baselineBuildId: d.baselineBuildId,
	softwareVersion: d.softwareVersion,
	kind: d.kind,
	online,
	lastSeenAt: d.lastSeenAt,
	enrolledAt: d.enrolledAt
});

export const inventoryView = (r: InventoryRow): InventoryItemView => ({
	componentId: r.componentId,
	stage: r.stage as 'delivered' | 'deployed',
	version: r.version,
	state: (r.deployedState as 'Active' | 'Inactive' | null) ?? null,
	operational: r.operationalState ?? null,
	updatedAt: r.updatedAt
});

export type EnrollmentCodeView = {
	id: string;
	label: string;
	createdAt: number;
	expiresAt: number;
	usedAt: number | null;
	usedByDeviceId: string | null;
	revokedAt: number | null;
};

export const enrollmentCodeView = (r: EnrollmentCodeRow): EnrollmentCodeView => ({
	id: r.id,
	label: r.label,
	createdAt: r.createdAt,
	expiresAt: r.expiresAt,
	usedAt: r.usedAt,
	usedByDeviceId: r.usedByDeviceId,
	revokedAt: r.revokedAt
});

export type PackageVersionView = {
	versionId: string;
	version: string;
	sha256: string;
	size: number;
	compatibleBaselines: string[];
	permissions: string[];
	/** Signed by the MA's key over manifest + digest (SCOMO-SEC-03); devices refuse unsigned versions. */
	signed: boolean;
	createdAt: number;
};

export type PackageView = {
	packageId: string;
	componentId: string;
	name: string;
	description: string;
	versions: PackageVersionView[];
};

export const packageVersionView = (v: PackageVersionRow): PackageVersionView => {
	const manifest = JSON.parse(v.manifest) as { permissions?: string[] };
	return {
		versionId: v.id,
		version: v.version,
		sha256: v.bundleSha256,
		size: v.bundleSize,
		compatibleBaselines: JSON.parse(v.compatibleBaselines) as string[],
		permissions: manifest.permissions ?? [],
		signed: v.signature !== null,
		createdAt: v.createdAt
	};
};

export const packageView = (p: PackageRow, versions: PackageVersionRow[]): PackageView => ({
	packageId: p.id,
	componentId: p.componentId,
	name: p.name,
	description: p.description,
	versions: versions.map(packageVersionView)
});

export type DeviceRequestView = {
	id: string;
	deviceId: string;
	kind: string;
	componentId: string;
	version: string | null;
	note: string;
	status: 'pending' | 'approved' | 'refused';
	correlator: string | null;
	createdAt: number;
	decidedAt: number | null;
};

export const deviceRequestView = (r: DeviceRequestRow, correlator: string | null): DeviceRequestView => ({
	id: r.id,
	deviceId: r.deviceId,
	kind: r.kind,
	componentId: r.componentId,
	version: r.version,
	note: r.note,
	status: r.status as DeviceRequestView['status'],
	correlator,
	createdAt: r.createdAt,
	decidedAt: r.decidedAt
});
