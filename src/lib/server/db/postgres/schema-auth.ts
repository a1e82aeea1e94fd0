/**
 * Administrators and how they authenticate, on PostgreSQL: mirrors ../schema-auth.ts (the schema-drift test
 * checks both). Secrets are stored only as SHA-256 hashes.
 */
import { pgTable, text, bigint, boolean, primaryKey, uniqueIndex, index } from 'drizzle-orm/pg-core';
import { managementAuthorities } from './schema';

/** A person who administers one or more MAs. */
export const administrators = pgTable(
	'administrators',
	{
		id: text('id').primaryKey(),
		displayName: text('display_name').notNull(),
		/** WebAuthn user handle (random, base64url): what a discoverable credential returns on sign-in. */
		userHandle: text('user_handle').notNull(),
		createdAt: bigint('created_at', { mode: 'number' }).notNull()
	},
	(t) => [uniqueIndex('administrators_user_handle_uq').on(t.userHandle)]
);

/** A passkey (WebAuthn credential) of an administrator; several per administrator. */
export const passkeys = pgTable(
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
		counter: bigint('counter', { mode: 'number' }).notNull().default(0),
		/** JSON array of transports the authenticator reported. */
		transports: text('transports').notNull().default('[]'),
		name: text('name').notNull(),
		/** 'singleDevice' | 'multiDevice' */
		deviceType: text('device_type').notNull().default('singleDevice'),
		backedUp: boolean('backed_up').notNull().default(false),
		createdAt: bigint('created_at', { mode: 'number' }).notNull(),
		lastUsedAt: bigint('last_used_at', { mode: 'number' })
	},
	(t) => [index('passkeys_admin_idx').on(t.adminId)]
);

/** Administrator × MA with a role: owner (members, keys, settings), operator (operations), viewer. */
export const memberships = pgTable(
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
		createdAt: bigint('created_at', { mode: 'number' }).notNull()
	},
	(t) => [primaryKey({ columns: [t.adminId, t.maId] }), index('memberships_ma_idx').on(t.maId)]
);

/** A signed-in browser. The cookie holds a random id; only its SHA-256 is stored here. */
export const sessions = pgTable(
	'sessions',
	{
		idHash: text('id_hash').primaryKey(),
		adminId: text('admin_id')
			.notNull()
			.references(() => administrators.id),
		createdAt: bigint('created_at', { mode: 'number' }).notNull(),
		/** Last request seen: the idle expiry counts from here. */
		lastSeenAt: bigint('last_seen_at', { mode: 'number' }).notNull(),
		/** Absolute expiry: no activity extends a session past this. */
		expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
		userAgent: text('user_agent').notNull().default('')
	},
	(t) => [index('sessions_admin_idx').on(t.adminId)]
);

/**
 * WebAuthn challenges, single use (deleted when verified) with a short expiry. `data` (JSON) carries what
 * the ceremony is for: the setup token or invitation being redeemed, the new administrator's handle.
 */
export const webauthnChallenges = pgTable(
	'webauthn_challenges',
	{
		/** The challenge itself (base64url), as the client echoes it in clientDataJSON. */
		challenge: text('challenge').primaryKey(),
		/** 'register' | 'signin' */
		purpose: text('purpose').notNull(),
		/** The signed-in administrator adding a passkey, when there is one. */
		adminId: text('admin_id'),
		data: text('data').notNull().default('{}'),
		createdAt: bigint('created_at', { mode: 'number' }).notNull(),
		expiresAt: bigint('expires_at', { mode: 'number' }).notNull()
	},
	(t) => [index('webauthn_challenges_expires_idx').on(t.expiresAt)]
);

/** An owner's invitation to join an MA with a role: single use, expiring; only the token's hash is kept. */
export const invitations = pgTable(
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
		createdAt: bigint('created_at', { mode: 'number' }).notNull(),
		expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
		usedAt: bigint('used_at', { mode: 'number' }),
		usedBy: text('used_by'),
		revokedAt: bigint('revoked_at', { mode: 'number' })
	},
	(t) => [uniqueIndex('invitations_token_uq').on(t.tokenHash), index('invitations_ma_idx').on(t.maId)]
);

/**
 * One-time setup links: each creates one new MA and its first owner. The server issues one on start
 * while no MA exists; the CLI (scripts/setup-link.ts) issues one at any time for scripted installs.
 */
export const setupTokens = pgTable(
	'setup_tokens',
	{
		id: text('id').primaryKey(),
		tokenHash: text('token_hash').notNull(),
		createdAt: bigint('created_at', { mode: 'number' }).notNull(),
		expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
		usedAt: bigint('used_at', { mode: 'number' }),
		/** The MA created with it. */
		maId: text('ma_id')
	},
	(t) => [uniqueIndex('setup_tokens_hash_uq').on(t.tokenHash)]
);
