/**
 * Command security on PostgreSQL: mirrors ../schema-security.ts (the schema-drift test checks both).
 */
import { pgTable, text, bigint, index, primaryKey } from 'drizzle-orm/pg-core';
import { devices, managementAuthorities } from './schema';

/** An MA's Ed25519 command-signing key. The current one has validUntil = null; a rotated one keeps signing nothing new. */
export const maSigningKeys = pgTable(
	'ma_signing_keys',
	{
		/** keyId (UUIDv7), named in every envelope and trust statement. */
		id: text('id').primaryKey(),
		maId: text('ma_id')
			.notNull()
			.references(() => managementAuthorities.id),
		/** Raw 32-byte public key, base64url. */
		publicKey: text('public_key').notNull(),
		/** PKCS#8 private key sealed with AES-256-GCM under the master key (master-key.ts), base64url. */
		sealedPrivateKey: text('sealed_private_key').notNull(),
		createdAt: bigint('created_at', { mode: 'number' }).notNull(),
		/** Set when the key is rotated out: devices accept it until then (the overlap period). */
		validUntil: bigint('valid_until', { mode: 'number' })
	},
	(t) => [index('ma_signing_keys_ma_idx').on(t.maId)]
);

/** The signed envelope of one batch (one signature for the whole fan-out) and its administrator approval. */
export const batchEnvelopes = pgTable(
	'batch_envelopes',
	{
		batchId: text('batch_id').primaryKey(),
		maId: text('ma_id')
			.notNull()
			.references(() => managementAuthorities.id),
		/** The BatchHeader as signed (JSON). */
		header: text('header').notNull(),
		keyId: text('key_id').notNull(),
		signature: text('signature').notNull(),
		/** 'not-required' | 'pending' | 'approved': a pending batch is persisted but never relayed. */
		approval: text('approval').notNull(),
		/** The administrator's assertion (AdminApproval JSON) once approved. */
		assertion: text('assertion'),
		approvedBy: text('approved_by'),
		approvedAt: bigint('approved_at', { mode: 'number' }),
		createdAt: bigint('created_at', { mode: 'number' }).notNull()
	},
	(t) => [index('batch_envelopes_ma_approval_idx').on(t.maId, t.approval)]
);

/** The last trust statement of each MA; seq grows whenever its content changes. */
export const maTrustStatements = pgTable('ma_trust_statements', {
	maId: text('ma_id')
		.primaryKey()
		.references(() => managementAuthorities.id),
	seq: bigint('seq', { mode: 'number' }).notNull(),
	/** Digest of the content without seq/issuedAt, to tell whether anything changed. */
	contentDigest: text('content_digest').notNull(),
	/** SignedTrust JSON. */
	signed: text('signed').notNull(),
	issuedAt: bigint('issued_at', { mode: 'number' }).notNull()
});

/**
 * Passkey-approved changes of an MA's approvers or high-risk policy (core TrustLink): the grant (the new
 * policy, credentials and RP under a new epoch) and the owner's assertion over grantChallenge(grant), by a
 * passkey the previous grant certified. Devices verify each link themselves (core/trust-grant.ts).
 */
export const maTrustGrants = pgTable(
	'ma_trust_grants',
	{
		maId: text('ma_id')
			.notNull()
			.references(() => managementAuthorities.id),
		epoch: bigint('epoch', { mode: 'number' }).notNull(),
		/** TrustGrant JSON. */
		grant: text('grant').notNull(),
		/** AdminApproval JSON. */
		approval: text('approval').notNull(),
		approvedBy: text('approved_by').notNull(),
		createdAt: bigint('created_at', { mode: 'number' }).notNull()
	},
	(t) => [primaryKey({ columns: [t.maId, t.epoch] })]
);

/** A device decommissioned from an MA (issue #17); mirrors ../schema-security.ts. */
export const deviceDecommissions = pgTable(
	'device_decommissions',
	{
		id: text('id').primaryKey(),
		deviceId: text('device_id')
			.notNull()
			.references(() => devices.id),
		maId: text('ma_id')
			.notNull()
			.references(() => managementAuthorities.id),
		enrolledAt: bigint('enrolled_at', { mode: 'number' }).notNull(),
		issuedAt: bigint('issued_at', { mode: 'number' }).notNull(),
		keyId: text('key_id').notNull(),
		signature: text('signature').notNull(),
		createdBy: text('created_by').notNull(),
		ackedAt: bigint('acked_at', { mode: 'number' }),
		erased: text('erased'),
		supersededAt: bigint('superseded_at', { mode: 'number' })
	},
	(t) => [index('device_decommissions_device_idx').on(t.deviceId, t.ackedAt)]
);
