/**
 * The passkey ceremonies, as functions of (store, relying party, clock) returning values with the
 * contract's error codes: registration for first-run setup, for an invitation and for adding a passkey
 * to one's own account; username-less sign-in; joining an MA with an existing account.
 * Routes only parse bodies, call these and set cookies.
 */
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { ok, err, type Result } from '../../core/result';
import type { Role } from '../../core/policy';
import type { ApiError } from '../../contract/errors';
import type { Db } from '../db/open';
import { insertMa } from '../db/repos/mas';
import { hashSecret, newId, newSecret } from '../ids';
import { DEFAULT_MA_SETTINGS } from '../services/ma-settings';
import { challengeOf, consumeChallenge, saveChallenge, type RegisterIntent } from './challenges';
import {
	adminActor,
	getAdmin,
	getMembership,
	getPasskey,
	insertAdmin,
	insertMembership,
	insertPasskey,
	listPasskeys,
	markPasskeyUsed,
	storedPasskey
} from './accounts';
import { findInvitationByToken, redeemInvitation } from './invitations';
import { redeemSetupToken, setupTokenValid } from './first-run';
import { audit, auditForEachMa } from './audit-log';
import {
	authenticationOptions,
	registrationOptions,
	verifyAuthentication,
	verifyRegistration,
	type RelyingParty
} from './webauthn';
import type { RegisterOptionsInput } from './wire';
import { verifyStepUp } from './step-up';

export type AuthDeps = { db: Db; rp: RelyingParty; now: number };
type Flow<T> = Promise<Result<T, ApiError>>;

const fail = (code: ApiError['code'], message: string) => err<ApiError>({ code, message });

/** Thrown inside a transaction to roll it back; turned into a value right outside. */
class Rollback extends Error {
	constructor(readonly error: ApiError) {
		super(error.message);
	}
}

function inTransaction<T>(db: Db, fn: (tx: Db) => T): Result<T, ApiError> {
	try {
		return ok(db.transaction((tx) => fn(tx as unknown as Db)));
	} catch (e) {
		if (e instanceof Rollback) return err(e.error);
		throw e;
	}
}

// ---------- registration ----------

export async function startRegistration(d: AuthDeps, input: RegisterOptionsInput, sessionAdminId: string | null): Flow<object> {
	let intent: RegisterIntent;
	let user: { userHandle: string; name: string; displayName: string };
	let exclude: { id: string; transports: string[] }[] = [];
	let adminId: string | null = null;

	switch (input.kind) {
		case 'setup': {
			if (!setupTokenValid(d.db, input.token, d.now))
				return fail('not_found', 'This setup link was already used or has expired. Ask for a new one (npm run setup-link).');
			const userHandle = newSecret(32);
			intent = { kind: 'setup', setupTokenHash: hashSecret(input.token), maName: input.maName, displayName: input.displayName, userHandle };
			user = { userHandle, name: `${input.displayName} (${input.maName})`, displayName: input.displayName };
			break;
		}
		case 'invite': {
			const inv = findInvitationByToken(d.db, input.token, d.now);
			if (!inv || inv.status !== 'pending')
				return fail('not_found', 'This invitation was already used, revoked or has expired. Ask an owner for a new one.');
			const userHandle = newSecret(32);
			intent = { kind: 'invite', invitationTokenHash: hashSecret(input.token), displayName: input.displayName, userHandle };
			user = { userHandle, name: `${input.displayName} (${inv.maName})`, displayName: input.displayName };
			break;
		}
		case 'add': {
			const admin = sessionAdminId ? getAdmin(d.db, sessionAdminId) : undefined;
			if (!admin) return fail('unauthenticated', 'Sign in first.');
			// H2: the cookie alone must not add a passkey (it would become an approver's key).
			const confirmed = await verifyStepUp(d, admin.id, 'passkey.add', input.stepUp as never);
			if (!confirmed.ok) return confirmed;
			adminId = admin.id;
			intent = { kind: 'add', passkeyName: input.passkeyName };
			user = { userHandle: admin.userHandle, name: admin.displayName, displayName: admin.displayName };
			// The same authenticator must not hold two passkeys for one account.
			exclude = listPasskeys(d.db, admin.id).map((p) => storedPasskey(p));
			break;
		}
	}
	const options = await registrationOptions(d.rp, user, exclude);
	saveChallenge(d.db, { challenge: options.challenge, purpose: 'register', adminId, data: intent }, d.now);
	return ok(options);
}

export type Registered = { adminId: string; kind: RegisterIntent['kind']; maId: string | null };

export async function finishRegistration(
	d: AuthDeps,
	response: RegistrationResponseJSON,
	passkeyName: string,
	sessionAdminId: string | null
): Flow<Registered> {
	const challenge = challengeOf(response);
	const stored = challenge ? consumeChallenge(d.db, challenge, 'register', d.now) : null;
	if (!stored) return fail('unauthenticated', 'The passkey request expired or was already used. Please try again.');
	const intent = stored.data as RegisterIntent;
	const passkey = await verifyRegistration(d.rp, response, stored.challenge);
	if (!passkey) return fail('unauthenticated', 'The passkey could not be verified. Please try again.');
	if (getPasskey(d.db, passkey.id)) return fail('conflict', 'This passkey is already registered.');
	const name = passkeyName || 'Passkey';

	switch (intent.kind) {
		case 'setup':
			return inTransaction(d.db, (tx) => {
				const maId = newId();
				const adminId = newId();
				insertMa(tx, { id: maId, name: intent.maName, settings: JSON.stringify(DEFAULT_MA_SETTINGS), createdAt: d.now });
				if (!redeemSetupToken(tx, intent.setupTokenHash, maId, d.now))
					throw new Rollback({ code: 'not_found', message: 'This setup link was used meanwhile or has expired.' });
				insertAdmin(tx, { id: adminId, displayName: intent.displayName, userHandle: intent.userHandle }, d.now);
				insertPasskey(tx, adminId, passkey, name, d.now);
				insertMembership(tx, adminId, maId, 'owner', d.now);
				const actor = { type: 'admin' as const, id: adminId };
				audit(tx, d.now, { maId, actor, action: 'ma.create', targetType: 'ma', targetId: maId, outcome: 'ok', detail: { name: intent.maName } });
				audit(tx, d.now, { maId, actor, action: 'passkey.add', targetType: 'passkey', targetId: passkey.id, outcome: 'ok', detail: { name } });
				return { adminId, kind: 'setup' as const, maId };
			});
		case 'invite':
			return inTransaction(d.db, (tx) => {
				const adminId = newId();
				insertAdmin(tx, { id: adminId, displayName: intent.displayName, userHandle: intent.userHandle }, d.now);
				const inv = redeemInvitation(tx, intent.invitationTokenHash, adminId, d.now);
				if (!inv) throw new Rollback({ code: 'not_found', message: 'This invitation was used meanwhile, revoked or has expired.' });
				insertPasskey(tx, adminId, passkey, name, d.now);
				insertMembership(tx, adminId, inv.maId, inv.role, d.now);
				const actor = { type: 'admin' as const, id: adminId };
				audit(tx, d.now, { maId: inv.maId, actor, action: 'invitation.accept', targetType: 'invitation', targetId: inv.id, outcome: 'ok', detail: { role: inv.role, displayName: intent.displayName } });
				audit(tx, d.now, { maId: inv.maId, actor, action: 'passkey.add', targetType: 'passkey', targetId: passkey.id, outcome: 'ok', detail: { name } });
				return { adminId, kind: 'invite' as const, maId: inv.maId };
			});
		case 'add': {
			if (!sessionAdminId || stored.adminId !== sessionAdminId)
				return fail('unauthenticated', 'Sign in as the administrator who started adding this passkey.');
			const adminId = sessionAdminId;
			return inTransaction(d.db, (tx) => {
				insertPasskey(tx, adminId, passkey, intent.passkeyName || name, d.now);
				const maIds = adminActor(tx, adminId).memberships.map((m) => m.maId);
				auditForEachMa(tx, d.now, maIds, { actor: { type: 'admin', id: adminId }, action: 'passkey.add', targetType: 'passkey', targetId: passkey.id, outcome: 'ok', detail: { name: intent.passkeyName || name } });
				return { adminId, kind: 'add' as const, maId: null };
			});
		}
	}
}

// ---------- sign-in ----------

export async function startSignin(d: AuthDeps): Flow<object> {
	const options = await authenticationOptions(d.rp);
	saveChallenge(d.db, { challenge: options.challenge, purpose: 'signin' }, d.now);
	return ok(options);
}

export async function finishSignin(d: AuthDeps, response: AuthenticationResponseJSON): Flow<{ adminId: string }> {
	const challenge = challengeOf(response);
	const stored = challenge ? consumeChallenge(d.db, challenge, 'signin', d.now) : null;
	if (!stored) return fail('unauthenticated', 'The sign-in request expired or was already used. Please try again.');
	const row = getPasskey(d.db, response.id);
	if (!row) {
		audit(d.db, d.now, { maId: null, actor: { type: 'system', id: 'anonymous' }, action: 'admin.signin', targetType: 'passkey', targetId: response.id.slice(0, 200), outcome: 'failed', detail: { reason: 'unknown passkey' } });
		return fail('unauthenticated', 'This passkey is not registered here. Use another one, or ask an owner for an invitation.');
	}
	const admin = getAdmin(d.db, row.adminId);
	const maIds = adminActor(d.db, row.adminId).memberships.map((m) => m.maId);
	const actor = { type: 'admin' as const, id: row.adminId };
	// A discoverable credential returns the user handle; it must be this administrator's.
	const handle = response.response.userHandle;
	const verified =
		admin && (!handle || handle === admin.userHandle) ? await verifyAuthentication(d.rp, response, stored.challenge, storedPasskey(row)) : null;
	if (!verified) {
		auditForEachMa(d.db, d.now, maIds, { actor, action: 'admin.signin', targetType: 'passkey', targetId: row.id, outcome: 'failed' });
		return fail('unauthenticated', 'The passkey could not be verified. Please try again.');
	}
	// One commit for the counter and the audit entries (SQLite: one fsync-equivalent, not two).
	d.db.transaction((tx) => {
		markPasskeyUsed(tx, row.id, verified.newCounter, d.now);
		auditForEachMa(tx, d.now, maIds, { actor, action: 'admin.signin', targetType: 'passkey', targetId: row.id, outcome: 'ok', detail: { passkey: row.name } });
	});
	return ok({ adminId: row.adminId });
}

// ---------- joining with an existing account ----------

/** A signed-in administrator accepts an invitation without a new passkey. */
export function joinWithAccount(d: Omit<AuthDeps, 'rp'>, token: string, adminId: string): Result<{ maId: string; role: Role }, ApiError> {
	const inv = findInvitationByToken(d.db, token, d.now);
	if (!inv || inv.status !== 'pending')
		return fail('not_found', 'This invitation was already used, revoked or has expired. Ask an owner for a new one.');
	if (getMembership(d.db, adminId, inv.maId)) return fail('conflict', `You are already a member of ${inv.maName}.`);
	return inTransaction(d.db, (tx) => {
		const r = redeemInvitation(tx, hashSecret(token), adminId, d.now);
		if (!r) throw new Rollback({ code: 'not_found', message: 'This invitation was used meanwhile, revoked or has expired.' });
		insertMembership(tx, adminId, r.maId, r.role, d.now);
		audit(tx, d.now, { maId: r.maId, actor: { type: 'admin', id: adminId }, action: 'invitation.accept', targetType: 'invitation', targetId: r.id, outcome: 'ok', detail: { role: r.role, existingAccount: true } });
		return { maId: r.maId, role: r.role };
	});
}

