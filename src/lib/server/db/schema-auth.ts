/**
 * Administrators and how they authenticate (SCOMO-SEC-02): passkeys (WebAuthn), sessions, one-time
 * challenges, memberships of MAs with a role, invitations and first-run setup tokens.
 * Times are epoch milliseconds; secrets (session ids, invitation and setup tokens) are stored only as
 * SHA-256 hashes, so a copy of the database lets nobody in.
 */
import { sqliteTable, text, integer, primaryKey, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { managementAuthorities } from './schema';

/** A person who administers one or more MAs. */
export const administrators = sqliteTable(
	'administrators',
	{
		id: text('id').primaryKey(),
		displayName: text('display_name').notNull(),
		/** WebAuthn user handle (random, base64url): what a discoverable credential returns on sign-in. */
		userHandle: text('user_handle').notNull(),
		createdAt: integer('created_at').notNull()
	},
	(t) => [uniqueIndex('administrators_user_handle_uq').on(t.userHandle)]
);

/** A passkey (WebAuthn credential) of an administrator; several per administrator. */
export const passkeys = sqliteTable(
	'passkeys',
	{
		/** Credential ID, base64url. */
		id: text('id').primaryKey(),
		adminId: text('admin_id')
			.notNull()
			.references(() => administrators.id),
		/** COSE public key, base64url. */
		publicKey: text('public_key').notNull(),
		/** Signature counter last seen (0 for authenticators that do not count). */
		counter: integer('counter').notNull().default(0),
		/** JSON array of transports the authenticator reported. */
		transports: text('transports').notNull().default('[]'),
		name: text('name').notNull(),
		/** 'singleDevice' | 'multiDevice' */
		deviceType: text('device_type').notNull().default('singleDevice'),
		backedUp: integer('backed_up', { mode: 'boolean' }).notNull().default(false),
		createdAt: integer('created_at').notNull(),
		lastUsedAt: integer('last_used_at')
	},
	(t) => [index('passkeys_admin_idx').on(t.adminId)]
);

/** Administrator × MA with a role: owner (members, keys, settings), operator (operations), viewer. */
export const memberships = sqliteTable(
	'memberships',
	{
		adminId: text('admin_id')
			.notNull()
			.references(() => administrators.id),
		maId: text('ma_id')
			.notNull()
			.references(() => managementAuthorities.id),
		/** 'owner' | 'operator' | 'viewer' (core ROLES) */
		role: text('role').notNull(),
		createdAt: integer('created_at').notNull()
	},
	(t) => [primaryKey({ columns: [t.adminId, t.maId] }), index('memberships_ma_idx').on(t.maId)]
);

/** A signed-in browser. The cookie holds a random id; only its SHA-256 is stored here. */
export const sessions = sqliteTable(
	'sessions',
	{
		idHash: text('id_hash').primaryKey(),
		adminId: text('admin_id')
			.notNull()
			.references(() => administrators.id),
		createdAt: integer('created_at').notNull(),
		/** Last request seen: the idle expiry counts from here. */
		lastSeenAt: integer('last_seen_at').notNull(),
		/** Absolute expiry: no activity extends a session past this. */
		expiresAt: integer('expires_at').notNull(),
		userAgent: text('user_agent').notNull().default('')
	},
	(t) => [index('sessions_admin_idx').on(t.adminId)]
);

/**
 * WebAuthn challenges, single use (deleted when verified) with a short expiry. `data` (JSON) carries what
 * the ceremony is for: the setup token or invitation being redeemed, the new administrator's handle.
 */
export const webauthnChallenges = sqliteTable(
	'webauthn_challenges',
	{
		/** The challenge itself (base64url), as the client echoes it in clientDataJSON. */
		challenge: text('challenge').primaryKey(),
		/** 'register' | 'signin' */
		purpose: text('purpose').notNull(),
		/** The signed-in administrator adding a passkey, when there is one. */
		adminId: text('admin_id'),
		data: text('data').notNull().default('{}'),
		createdAt: integer('created_at').notNull(),
		expiresAt: integer('expires_at').notNull()
	},
	(t) => [index('webauthn_challenges_expires_idx').on(t.expiresAt)]
);

/** An owner's invitation to join an MA with a role: single use, expiring; only the token's hash is kept. */
export const invitations = sqliteTable(
	'invitations',
	{
		id: text('id').primaryKey(),
		maId: text('ma_id')
			.notNull()
			.references(() => managementAuthorities.id),
		role: text('role').notNull(),
		tokenHash: text('token_hash').notNull(),
		/** A note for the owners (e.g. who it is for); not shown to the invitee as proof of anything. */
		label: text('label').notNull().default(''),
		createdBy: text('created_by').notNull(),
		createdAt: integer('created_at').notNull(),
		expiresAt: integer('expires_at').notNull(),
		usedAt: integer('used_at'),
		usedBy: text('used_by'),
		revokedAt: integer('revoked_at')
	},
	(t) => [uniqueIndex('invitations_token_uq').on(t.tokenHash), index('invitations_ma_idx').on(t.maId)]
);

/**
 * One-time setup links: each creates one new MA and its first owner. The server issues one on start
 * while no MA exists; the CLI (scripts/setup-link.ts) issues one at any time for scripted installs.
 */
export const setupTokens = sqliteTable(
	'setup_tokens',
	{
		id: text('id').primaryKey(),
		tokenHash: text('token_hash').notNull(),
		createdAt: integer('created_at').notNull(),
		expiresAt: integer('expires_at').notNull(),
		usedAt: integer('used_at'),
		/** The MA created with it. */
		maId: text('ma_id')
	},
	(t) => [uniqueIndex('setup_tokens_hash_uq').on(t.tokenHash)]
);
