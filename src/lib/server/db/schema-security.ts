/**
 * Command security (SCOMO-SEC-01, SEC-02): the MAs' command-signing keys (private halves encrypted at rest
 * under the server master key), the signed envelope of every batch with its passkey approval, and the
 * trust statement each MA last issued to its devices.
 */
import { sqliteTable, text, integer, index, primaryKey } from 'drizzle-orm/sqlite-core';
import { devices, managementAuthorities } from './schema';

/** An MA's Ed25519 command-signing key. The current one has validUntil = null; a rotated one keeps signing nothing new. */
export const maSigningKeys = sqliteTable(
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
		createdAt: integer('created_at').notNull(),
		/** Set when the key is rotated out: devices accept it until then (the overlap period). */
		validUntil: integer('valid_until')
	},
	(t) => [index('ma_signing_keys_ma_idx').on(t.maId)]
);

/** The signed envelope of one batch (one signature for the whole fan-out) and its administrator approval. */
export const batchEnvelopes = sqliteTable(
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
		approvedAt: integer('approved_at'),
		createdAt: integer('created_at').notNull()
	},
	(t) => [index('batch_envelopes_ma_approval_idx').on(t.maId, t.approval)]
);

/** The last trust statement of each MA; seq grows whenever its content changes. */
export const maTrustStatements = sqliteTable('ma_trust_statements', {
	maId: text('ma_id')
		.primaryKey()
		.references(() => managementAuthorities.id),
	seq: integer('seq').notNull(),
	/** Digest of the content without seq/issuedAt, to tell whether anything changed. */
	contentDigest: text('content_digest').notNull(),
	/** SignedTrust JSON. */
	signed: text('signed').notNull(),
	issuedAt: integer('issued_at').notNull()
});

/**
 * Passkey-approved changes of an MA's approvers or high-risk policy (core TrustLink): the grant (the new
 * policy, credentials and RP under a new epoch) and the owner's assertion over grantChallenge(grant), by a
 * passkey the previous grant certified. Devices verify each link themselves (core/trust-grant.ts).
 */
export const maTrustGrants = sqliteTable(
	'ma_trust_grants',
	{
		maId: text('ma_id')
			.notNull()
			.references(() => managementAuthorities.id),
		epoch: integer('epoch').notNull(),
		/** TrustGrant JSON. */
		grant: text('grant').notNull(),
		/** AdminApproval JSON. */
		approval: text('approval').notNull(),
		approvedBy: text('approved_by').notNull(),
		createdAt: integer('created_at').notNull()
	},
	(t) => [primaryKey({ columns: [t.maId, t.epoch] })]
);

/**
 * A device decommissioned from an MA (issue #17): the MA-signed message telling the device to erase that MA's
 * data, kept until the device acks it (sent again on every connection: nothing lost while it is offline), and
 * kept after as the record of when it was asked and when the device confirmed. The id is the signed nonce.
 */
export const deviceDecommissions = sqliteTable(
	'device_decommissions',
	{
		id: text('id').primaryKey(),
		deviceId: text('device_id')
			.notNull()
			.references(() => devices.id),
		maId: text('ma_id')
			.notNull()
			.references(() => managementAuthorities.id),
		/** The enrollment it ends (enrollments.enrolled_at), signed: a re-enrollment makes it void on the device. */
		enrolledAt: integer('enrolled_at').notNull(),
		issuedAt: integer('issued_at').notNull(),
		keyId: text('key_id').notNull(),
		signature: text('signature').notNull(),
		createdBy: text('created_by').notNull(),
		/** When the device confirmed the erasure; null = still to be delivered. */
		ackedAt: integer('acked_at'),
		/** JSON array of the component IDs the device reported erased. */
		erased: text('erased'),
		/** The device enrolled with the MA again before it acked: never delivered (it would not verify anyway). */
		supersededAt: integer('superseded_at')
	},
	(t) => [index('device_decommissions_device_idx').on(t.deviceId, t.ackedAt)]
);
