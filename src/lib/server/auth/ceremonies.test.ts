/**
 * The passkey ceremonies against a real SQLite store (temp dir) and real WebAuthn responses from a
 * software authenticator (ES256), with an injected clock: setup, invitations, sign-in, single-use and
 * expiring challenges, sessions.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore, type Store } from '../db/open';
import { SoftAuthenticator } from '../../../../tests/support/soft-authenticator';
import { finishRegistration, finishSignin, joinWithAccount, startRegistration, startSignin, type AuthDeps } from './ceremonies';
import { CHALLENGE_TTL_MS } from './challenges';
import { issueSetupToken } from './first-run';
import { createInvitation, revokeInvitation } from './invitations';
import { adminActor, listPasskeys } from './accounts';
import { createSession, deleteAdminSessions, validateSession } from './sessions';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from './session-policy';
import { queryAudit } from './audit-log';
import { relyingParty } from './webauthn';
import { startStepUp } from './step-up';

const ORIGIN = 'http://localhost:4999';
const rp = relyingParty(ORIGIN);
let store: Store;
let dir: string;
let now: number;
const deps = (): AuthDeps => ({ db: store.db, rp, now });

beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'scomo-auth-'));
	store = openStore(path.join(dir, 'test.db'));
	now = 1_800_000_000_000;
});
afterEach(() => {
	store.close();
	rmSync(dir, { recursive: true, force: true });
});

type Opts = { challenge: string; rp: { id?: string }; user: { id: string } };

async function setupOwner(auth = new SoftAuthenticator(ORIGIN), maName = 'Acme') {
	const { token } = issueSetupToken(store.db, now);
	const opts = await startRegistration(deps(), { kind: 'setup', token, maName, displayName: 'Ada' }, null);
	if (!opts.ok) throw new Error(opts.error.message);
	const done = await finishRegistration(deps(), auth.register(opts.value as Opts) as never, 'Laptop', null);
	if (!done.ok) throw new Error(done.error.message);
	return { auth, token, adminId: done.value.adminId, maId: done.value.maId! };
}

async function signin(auth: SoftAuthenticator, credential = auth.credentials[0]) {
	const opts = await startSignin(deps());
	if (!opts.ok) throw new Error('options');
	const response = auth.assert(opts.value as { challenge: string }, credential);
	return { response, result: await finishSignin(deps(), response as never) };
}

describe('first-run setup', () => {
	it('creates the MA, its owner and the passkey, and audits it', async () => {
		const { adminId, maId } = await setupOwner();
		expect(adminActor(store.db, adminId).memberships).toEqual([{ maId, role: 'owner' }]);
		expect(listPasskeys(store.db, adminId).map((p) => p.name)).toEqual(['Laptop']);
		expect(queryAudit(store.db, maId).map((e) => e.action).sort()).toEqual(['ma.create', 'passkey.add']);
	});

	it('a setup token is single use', async () => {
		const { token } = await setupOwner();
		const again = await startRegistration(deps(), { kind: 'setup', token, maName: 'Other', displayName: 'Eve' }, null);
		expect(again.ok ? 'ok' : again.error.code).toBe('not_found');
	});

	it('two registrations racing on one token: the first wins, the second creates nothing', async () => {
		const { token } = issueSetupToken(store.db, now);
		const a = new SoftAuthenticator(ORIGIN);
		const b = new SoftAuthenticator(ORIGIN);
		const oa = await startRegistration(deps(), { kind: 'setup', token, maName: 'A', displayName: 'A' }, null);
		const ob = await startRegistration(deps(), { kind: 'setup', token, maName: 'B', displayName: 'B' }, null);
		if (!oa.ok || !ob.ok) throw new Error('options');
		expect((await finishRegistration(deps(), a.register(oa.value as Opts) as never, '', null)).ok).toBe(true);
		const second = await finishRegistration(deps(), b.register(ob.value as Opts) as never, '', null);
		expect(second.ok ? 'ok' : second.error.code).toBe('not_found');
		expect(store.sqlite.prepare('select count(*) as n from management_authorities').get()).toEqual({ n: 1 });
		expect(store.sqlite.prepare('select count(*) as n from administrators').get()).toEqual({ n: 1 });
	});

	it('refuses a registration for another origin', async () => {
		const { token } = issueSetupToken(store.db, now);
		const opts = await startRegistration(deps(), { kind: 'setup', token, maName: 'A', displayName: 'A' }, null);
		if (!opts.ok) throw new Error('options');
		const evil = new SoftAuthenticator('http://evil.localhost:4999');
		const r = await finishRegistration(deps(), evil.register(opts.value as Opts) as never, '', null);
		expect(r.ok ? 'ok' : r.error.code).toBe('unauthenticated');
	});
});

describe('sign-in', () => {
	it('signs in with a discoverable passkey and records its use', async () => {
		const { auth, adminId, maId } = await setupOwner();
		now += 1000;
		const { result } = await signin(auth);
		expect(result.ok && result.value.adminId).toBe(adminId);
		expect(listPasskeys(store.db, adminId)[0]!.lastUsedAt).toBe(now);
		expect(queryAudit(store.db, maId, { action: 'admin.signin' }).map((e) => e.outcome)).toEqual(['ok']);
	});

	it('a challenge answers once: replaying an assertion fails', async () => {
		const { auth } = await setupOwner();
		const { response, result } = await signin(auth);
		expect(result.ok).toBe(true);
		const replay = await finishSignin(deps(), response as never);
		expect(replay.ok ? 'ok' : replay.error.code).toBe('unauthenticated');
	});

	it('a challenge expires after five minutes', async () => {
		const { auth } = await setupOwner();
		const opts = await startSignin(deps());
		if (!opts.ok) throw new Error('options');
		const response = auth.assert(opts.value as { challenge: string });
		now += CHALLENGE_TTL_MS;
		const r = await finishSignin(deps(), response as never);
		expect(r.ok ? 'ok' : r.error.code).toBe('unauthenticated');
	});

	it('an unknown passkey, or one signing for another origin, is refused', async () => {
		await setupOwner();
		const stranger = new SoftAuthenticator(ORIGIN);
		stranger.register({ challenge: 'x', rp: {}, user: { id: 'dW5rbm93bg' } });
		expect((await signin(stranger)).result.ok).toBe(false);

		const { auth, maId } = await setupOwner(undefined, 'Other');
		const phishing = new SoftAuthenticator('http://localhost:5000');
		expect((await signin(phishing, auth.credentials[0])).result.ok).toBe(false);
		expect(queryAudit(store.db, maId, { action: 'admin.signin' }).map((e) => e.outcome)).toEqual(['failed']);
	});

	it('a cloned passkey (signature counter going back) is refused', async () => {
		const { auth } = await setupOwner();
		expect((await signin(auth)).result.ok).toBe(true);
		expect((await signin(auth)).result.ok).toBe(true);
		auth.credentials[0]!.signCount = 0; // the clone's counter lags behind
		expect((await signin(auth)).result.ok).toBe(false);
	});
});

describe('invitations', () => {
	async function invite(maId: string, createdBy: string, role: 'operator' | 'viewer' = 'operator', ttlMs?: number) {
		return createInvitation(store.db, { maId, role, createdBy, ttlMs }, now);
	}

	it('the invitee registers a passkey and joins with the role; the link works once', async () => {
		const owner = await setupOwner();
		const inv = await invite(owner.maId, owner.adminId, 'viewer');
		const auth = new SoftAuthenticator(ORIGIN);
		const opts = await startRegistration(deps(), { kind: 'invite', token: inv.token, displayName: 'Vic' }, null);
		if (!opts.ok) throw new Error(opts.error.message);
		const r = await finishRegistration(deps(), auth.register(opts.value as Opts) as never, '', null);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(adminActor(store.db, r.value.adminId).memberships).toEqual([{ maId: owner.maId, role: 'viewer' }]);
		const again = await startRegistration(deps(), { kind: 'invite', token: inv.token, displayName: 'Eve' }, null);
		expect(again.ok ? 'ok' : again.error.code).toBe('not_found');
	});

	it('expired and revoked invitations are refused', async () => {
		const owner = await setupOwner();
		const expired = await invite(owner.maId, owner.adminId, 'operator', 10 * 60_000);
		const revoked = await invite(owner.maId, owner.adminId);
		expect(revokeInvitation(store.db, owner.maId, revoked.id, now)).toBe(1);
		now += 10 * 60_000;
		for (const token of [expired.token, revoked.token]) {
			const r = await startRegistration(deps(), { kind: 'invite', token, displayName: 'X' }, null);
			expect(r.ok ? 'ok' : r.error.code).toBe('not_found');
		}
	});

	it('an invitation cannot be revoked from another MA', async () => {
		const a = await setupOwner(undefined, 'A');
		const b = await setupOwner(undefined, 'B');
		const inv = await invite(a.maId, a.adminId);
		expect(revokeInvitation(store.db, b.maId, inv.id, now)).toBe(0);
	});

	it('an existing administrator joins another MA without a new passkey', async () => {
		const a = await setupOwner(undefined, 'A');
		const b = await setupOwner(undefined, 'B');
		const inv = await invite(b.maId, b.adminId, 'operator');
		const r = joinWithAccount({ db: store.db, now }, inv.token, a.adminId);
		expect(r.ok).toBe(true);
		expect(adminActor(store.db, a.adminId).memberships).toContainEqual({ maId: b.maId, role: 'operator' });
		const again = joinWithAccount({ db: store.db, now }, inv.token, a.adminId);
		expect(again.ok).toBe(false);
	});
});

describe('adding a passkey', () => {
	it('only for the signed-in administrator who started it', async () => {
		const owner = await setupOwner();
		const other = await setupOwner(undefined, 'Other');
		const key = new SoftAuthenticator(ORIGIN);
		// The session alone may not add a passkey (H2): a fresh assertion of one of mine first.
		expect(await startRegistration(deps(), { kind: 'add', passkeyName: 'Key' }, owner.adminId)).toMatchObject({ ok: false, error: { code: 'step_up_required' } });
		const stepUp = async () => {
			const o = await startStepUp(deps(), owner.adminId, 'passkey.add');
			if (!o.ok) throw new Error('step-up options');
			return owner.auth.assert(o.value as { challenge: string });
		};
		// Another administrator's passkey does not confirm for me.
		const o = await startStepUp(deps(), owner.adminId, 'passkey.add');
		if (!o.ok) throw new Error('step-up options');
		expect(await startRegistration(deps(), { kind: 'add', passkeyName: 'Key', stepUp: other.auth.assert(o.value as { challenge: string }) }, owner.adminId)).toMatchObject({ ok: false, error: { code: 'step_up_required' } });
		const opts = await startRegistration(deps(), { kind: 'add', passkeyName: 'Key', stepUp: await stepUp() }, owner.adminId);
		if (!opts.ok) throw new Error('options');
		const response = key.register(opts.value as Opts);
		const hijack = await finishRegistration(deps(), response as never, '', other.adminId);
		expect(hijack.ok).toBe(false);
		expect(listPasskeys(store.db, other.adminId)).toHaveLength(1);

		const opts2 = await startRegistration(deps(), { kind: 'add', passkeyName: 'Key', stepUp: await stepUp() }, owner.adminId);
		if (!opts2.ok) throw new Error('options');
		expect((await finishRegistration(deps(), key.register(opts2.value as Opts) as never, '', owner.adminId)).ok).toBe(true);
		expect(listPasskeys(store.db, owner.adminId).map((p) => p.name)).toEqual(['Laptop', 'Key']);
		// Both passkeys sign in on their own.
		expect((await signin(owner.auth)).result.ok).toBe(true);
		expect((await signin(key, key.credentials[1])).result.ok).toBe(true);
	});

	it('needs a session', async () => {
		const r = await startRegistration(deps(), { kind: 'add', passkeyName: '' }, null);
		expect(r.ok ? 'ok' : r.error.code).toBe('unauthenticated');
	});
});

describe('sessions', () => {
	it('stores only a hash, expires when idle or too old, and ends everywhere on request', async () => {
		const { adminId } = await setupOwner();
		const { token, session } = createSession(store.db, adminId, now);
		expect(session.idHash).not.toContain(token);
		expect(store.sqlite.prepare('select count(*) as n from sessions where id_hash = ?').get(token)).toEqual({ n: 0 });
		expect(validateSession(store.db, token, now + 1000)?.adminId).toBe(adminId);
		expect(validateSession(store.db, token, now + 1000 + SESSION_IDLE_MS)).toBeNull();

		const second = createSession(store.db, adminId, now);
		let t = now;
		while (t + SESSION_IDLE_MS / 2 < now + SESSION_ABSOLUTE_MS) {
			t += SESSION_IDLE_MS / 2;
			expect(validateSession(store.db, second.token, t)).not.toBeNull();
		}
		expect(validateSession(store.db, second.token, now + SESSION_ABSOLUTE_MS)).toBeNull();

		const a = createSession(store.db, adminId, now);
		const b = createSession(store.db, adminId, now);
		expect(deleteAdminSessions(store.db, adminId)).toBe(2);
		expect(validateSession(store.db, a.token, now)).toBeNull();
		expect(validateSession(store.db, b.token, now)).toBeNull();
	});
});
