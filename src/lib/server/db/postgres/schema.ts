/**
 * The store's schema on PostgreSQL: the same tables, columns, keys and indexes as ../schema.ts (SQLite),
 * which the schema-drift test checks. Times and counters are BIGINT epoch milliseconds read as JS numbers
 * (mode 'number': epoch ms stay far below 2^53); IDs on hot paths are UUIDv7.
 */
import { pgTable, text, bigint, primaryKey, uniqueIndex, index } from 'drizzle-orm/pg-core';

/** A Management Authority: a tenant that manages its own components (SCOMO-ADC-3). */
export const managementAuthorities = pgTable('management_authorities', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	/** JSON of MaSettings: allowed consent modes, automatic approval of device requests. */
	settings: text('settings').notNull().default('{}'),
	createdAt: bigint('created_at', { mode: 'number' }).notNull()
});

/** A device. Its factory baseline build ID is written once at first enrollment (SCOMO-HLFR-9). */
export const devices = pgTable(
	'devices',
	{
		id: text('id').primaryKey(),
		/** The device's public key (SPKI, base64url) it proves possession of on every connection. */
		publicKey: text('public_key').notNull(),
		keyAlgorithm: text('key_algorithm').notNull(),
		/**
		 * SCOMO-SEC-03: the device's static ECDH P-256 public key (raw, base64url) that packages are encrypted
		 * to; null for a device enrolled before it had one (it gets plaintext, see docs/security.md).
		 */
		encryptionKey: text('encryption_key'),
		manufacturer: text('manufacturer').notNull().default(''),
		model: text('model').notNull().default(''),
		baselineBuildId: text('baseline_build_id').notNull(),
		softwareVersion: text('software_version').notNull().default(''),
		kind: text('kind').notNull().default('agent'),
		createdAt: bigint('created_at', { mode: 'number' }).notNull(),
		lastSeenAt: bigint('last_seen_at', { mode: 'number' }),
		revokedAt: bigint('revoked_at', { mode: 'number' })
	},
	(t) => [uniqueIndex('devices_public_key_uq').on(t.publicKey)]
);

/** Device ↔ MA. A device may be enrolled with several MAs; each sees only its own components. */
export const enrollments = pgTable(
	'enrollments',
	{
		deviceId: text('device_id')
			.notNull()
			.references(() => devices.id),
		maId: text('ma_id')
			.notNull()
			.references(() => managementAuthorities.id),
		enrolledAt: bigint('enrolled_at', { mode: 'number' }).notNull(),
		leftAt: bigint('left_at', { mode: 'number' }),
		/**
		 * The device's name and notes as this MA knows them (each MA names its enrollment; no MA sees another's).
		 * The name starts as the enrollment code's label.
		 */
		name: text('name').notNull().default(''),
		notes: text('notes').notNull().default('')
	},
	// (ma_id, name, device_id): the devices list is read in name order, one keyset page at a time.
	(t) => [
		primaryKey({ columns: [t.deviceId, t.maId] }),
		index('enrollments_ma_idx').on(t.maId),
		index('enrollments_ma_name_idx').on(t.maId, t.name, t.deviceId)
	]
);

/** Tags an MA put on a device it enrolled: a key alone (lobby) or a key with a value (floor=3). Per MA, like names. */
export const deviceTags = pgTable(
	'device_tags',
	{
		deviceId: text('device_id')
			.notNull()
			.references(() => devices.id),
		maId: text('ma_id')
			.notNull()
			.references(() => managementAuthorities.id),
		key: text('key').notNull(),
		value: text('value')
	},
	(t) => [primaryKey({ columns: [t.deviceId, t.maId, t.key] }), index('device_tags_ma_key_idx').on(t.maId, t.key)]
);

/** One-time enrollment codes; only a hash of the code is stored. */
export const enrollmentCodes = pgTable(
	'enrollment_codes',
	{
		id: text('id').primaryKey(),
		maId: text('ma_id')
			.notNull()
			.references(() => managementAuthorities.id),
		codeHash: text('code_hash').notNull(),
		label: text('label').notNull().default(''),
		createdAt: bigint('created_at', { mode: 'number' }).notNull(),
		expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
		usedAt: bigint('used_at', { mode: 'number' }),
		usedByDeviceId: text('used_by_device_id'),
		revokedAt: bigint('revoked_at', { mode: 'number' })
	},
	(t) => [uniqueIndex('enrollment_codes_hash_uq').on(t.codeHash), index('enrollment_codes_ma_idx').on(t.maId)]
);

/**
 * A software component (package) owned by one MA. componentId is unique within its MA only: each MA names
 * its components as it likes, and nothing about one MA's ids (taken or free) is visible to another (ADC-3).
 */
export const packages = pgTable(
	'packages',
	{
		id: text('id').primaryKey(),
		maId: text('ma_id')
			.notNull()
			.references(() => managementAuthorities.id),
		componentId: text('component_id').notNull(),
		name: text('name').notNull(),
		description: text('description').notNull().default(''),
		createdAt: bigint('created_at', { mode: 'number' }).notNull()
	},
	(t) => [uniqueIndex('packages_ma_component_uq').on(t.maId, t.componentId)]
);

/** One version of a package: manifest + bundle (stored on disk by digest). */
export const packageVersions = pgTable(
	'package_versions',
	{
		id: text('id').primaryKey(),
		packageId: text('package_id')
			.notNull()
			.references(() => packages.id),
		version: text('version').notNull(),
		/** The manifest as uploaded (JSON). */
		manifest: text('manifest').notNull(),
		/** JSON array of compatible baseline build IDs ('*' = any). */
		compatibleBaselines: text('compatible_baselines').notNull(),
		bundleSha256: text('bundle_sha256').notNull(),
		bundleSize: bigint('bundle_size', { mode: 'number' }).notNull(),
		/** MA signature over manifest + digest (set by the security layer). */
		signature: text('signature'),
		createdAt: bigint('created_at', { mode: 'number' }).notNull()
	},
	(t) => [uniqueIndex('package_versions_uq').on(t.packageId, t.version)]
);

/**
 * The per-device inventory as last reported by the device (SCOMO Inventory/Delivered and
 * Inventory/Deployed). maId is the owner of the component and part of the key: two MAs may both name a
 * component "com.example.x", and the device holds them apart. It leads the index so that the ADC-3 filter
 * is one indexed predicate.
 */
export const inventory = pgTable(
	'inventory',
	{
		deviceId: text('device_id')
			.notNull()
			.references(() => devices.id),
		maId: text('ma_id').notNull(),
		componentId: text('component_id').notNull(),
		/** 'delivered' | 'deployed' */
		stage: text('stage').notNull(),
		version: text('version').notNull(),
		/** 'Active' | 'Inactive' for deployed components. */
		deployedState: text('deployed_state'),
		/** LwM2M operational state for deployed components. */
		operationalState: text('operational_state'),
		updatedAt: bigint('updated_at', { mode: 'number' }).notNull()
	},
	(t) => [primaryKey({ columns: [t.deviceId, t.maId, t.componentId] }), index('inventory_ma_idx').on(t.maId)]
);

/**
 * The device's report sequence (OperationResult.seq, InventoryReport.seq, ComponentStateChange.seq) last
 * applied to each of its components, kept when the component is removed: a report older than it changes
 * nothing, so results delivered reordered or twice never put the inventory back in time.
 */
export const inventoryReportSeqs = pgTable(
	'inventory_report_seqs',
	{
		deviceId: text('device_id')
			.notNull()
			.references(() => devices.id),
		/** The component's owner: sequences of two MAs' same-named components are independent. */
		maId: text('ma_id').notNull(),
		componentId: text('component_id').notNull(),
		seq: bigint('seq', { mode: 'number' }).notNull()
	},
	(t) => [primaryKey({ columns: [t.deviceId, t.maId, t.componentId] })]
);

/** A batch (job): operations created together, confirmed once per device (SCOMO-ADC-2). */
export const batches = pgTable(
	'batches',
	{
		id: text('id').primaryKey(),
		maId: text('ma_id')
			.notNull()
			.references(() => managementAuthorities.id),
		consentMode: text('consent_mode').notNull(),
		intent: text('intent').notNull().default(''),
		createdBy: text('created_by').notNull(),
		createdAt: bigint('created_at', { mode: 'number' }).notNull()
	},
	(t) => [index('batches_ma_idx').on(t.maId)]
);

/** One SCOMO operation on one device. Persisted before it is relayed; its correlator ties the result back. */
export const operations = pgTable(
	'operations',
	{
		id: text('id').primaryKey(),
		correlator: text('correlator').notNull(),
		maId: text('ma_id')
			.notNull()
			.references(() => managementAuthorities.id),
		deviceId: text('device_id')
			.notNull()
			.references(() => devices.id),
		batchId: text('batch_id'),
		/** Position inside the batch on this device (operations run in this order). */
		seq: bigint('seq', { mode: 'number' }).notNull().default(0),
		kind: text('kind').notNull(),
		componentId: text('component_id'),
		packageVersionId: text('package_version_id'),
		targetVersion: text('target_version'),
		consentMode: text('consent_mode').notNull(),
		intent: text('intent').notNull().default(''),
		status: text('status').notNull(),
		downloadStatus: bigint('download_status', { mode: 'number' }),
		resultCode: bigint('result_code', { mode: 'number' }),
		resultMessage: text('result_message'),
		createdBy: text('created_by').notNull(),
		createdAt: bigint('created_at', { mode: 'number' }).notNull(),
		deliveredAt: bigint('delivered_at', { mode: 'number' }),
		completedAt: bigint('completed_at', { mode: 'number' }),
		expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
		/**
		 * An administrator cancelled the operation after it was delivered: the MA-signed withdrawal is sent to
		 * the device (again on each connection) until its result arrives (1462, or its own if it had started).
		 */
		cancelRequestedAt: bigint('cancel_requested_at', { mode: 'number' })
	},
	(t) => [
		uniqueIndex('operations_correlator_uq').on(t.correlator),
		index('operations_device_status_idx').on(t.deviceId, t.status),
		index('operations_ma_created_idx').on(t.maId, t.createdAt),
		// The operations list filtered by status or by device, newest first: one index range each, in order.
		index('operations_ma_status_created_idx').on(t.maId, t.status, t.createdAt),
		index('operations_ma_device_created_idx').on(t.maId, t.deviceId, t.createdAt),
		// A batch's operations by device; covers the jobs page's sums (status counts, devices per batch).
		index('operations_batch_device_idx').on(t.batchId, t.deviceId, t.status)
	]
);

/** Device-initiated requests (SCOMO-Device-06): the device asks an MA for an install or update. */
export const deviceRequests = pgTable(
	'device_requests',
	{
		id: text('id').primaryKey(),
		deviceId: text('device_id')
			.notNull()
			.references(() => devices.id),
		maId: text('ma_id')
			.notNull()
			.references(() => managementAuthorities.id),
		kind: text('kind').notNull(),
		componentId: text('component_id').notNull(),
		version: text('version'),
		note: text('note').notNull().default(''),
		/** 'pending' | 'approved' | 'refused' */
		status: text('status').notNull(),
		operationId: text('operation_id'),
		createdAt: bigint('created_at', { mode: 'number' }).notNull(),
		decidedAt: bigint('decided_at', { mode: 'number' })
	},
	(t) => [index('device_requests_ma_status_idx').on(t.maId, t.status)]
);

/** API tokens of an MA for the REST API; only a SHA-256 of the secret is stored. */
export const apiTokens = pgTable(
	'api_tokens',
	{
		id: text('id').primaryKey(),
		maId: text('ma_id')
			.notNull()
			.references(() => managementAuthorities.id),
		name: text('name').notNull(),
		/** 'read' | 'operate' */
		scope: text('scope').notNull(),
		secretHash: text('secret_hash').notNull(),
		createdAt: bigint('created_at', { mode: 'number' }).notNull(),
		lastUsedAt: bigint('last_used_at', { mode: 'number' }),
		revokedAt: bigint('revoked_at', { mode: 'number' })
	},
	(t) => [uniqueIndex('api_tokens_secret_uq').on(t.secretHash)]
);

/** Audit log: every administrator action and every device result. */
export const auditEvents = pgTable(
	'audit_events',
	{
		id: text('id').primaryKey(),
		maId: text('ma_id'),
		/** 'admin' | 'token' | 'device' | 'system' */
		actorType: text('actor_type').notNull(),
		actorId: text('actor_id').notNull(),
		action: text('action').notNull(),
		targetType: text('target_type').notNull().default(''),
		targetId: text('target_id').notNull().default(''),
		/** 'ok' | 'denied' | 'failed' or a result code */
		outcome: text('outcome').notNull(),
		detail: text('detail').notNull().default('{}'),
		at: bigint('at', { mode: 'number' }).notNull()
	},
	(t) => [index('audit_ma_at_idx').on(t.maId, t.at)]
);

/** Device groups of an MA: mirrors ../schema.ts (static members listed, dynamic = a saved filter). */
export const deviceGroups = pgTable(
	'device_groups',
	{
		id: text('id').primaryKey(),
		maId: text('ma_id')
			.notNull()
			.references(() => managementAuthorities.id),
		name: text('name').notNull(),
		kind: text('kind').notNull(),
		filter: text('filter'),
		description: text('description').notNull().default(''),
		createdBy: text('created_by').notNull(),
		createdAt: bigint('created_at', { mode: 'number' }).notNull(),
		updatedAt: bigint('updated_at', { mode: 'number' }).notNull()
	},
	(t) => [uniqueIndex('device_groups_ma_name_uq').on(t.maId, t.name)]
);

export const deviceGroupMembers = pgTable(
	'device_group_members',
	{
		groupId: text('group_id')
			.notNull()
			.references(() => deviceGroups.id, { onDelete: 'cascade' }),
		deviceId: text('device_id')
			.notNull()
			.references(() => devices.id, { onDelete: 'cascade' }),
		addedAt: bigint('added_at', { mode: 'number' }).notNull()
	},
	(t) => [primaryKey({ columns: [t.groupId, t.deviceId] }), index('device_group_members_device_idx').on(t.deviceId)]
);
