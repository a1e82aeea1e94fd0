/**
 * Administrator sessions. The cookie carries 32 random bytes; the database keeps only their SHA-256, so
 * a leaked database cannot be replayed as cookies. A new session is created on every sign-in (rotation:
 * a session id planted before sign-in is never promoted), and sign-out deletes it; "sign out everywhere"
 * deletes every session of the administrator.
 */
import type { Cookies } from '@sveltejs/kit';
import type { Db } from '../db/open';
import * as repo from '../db/repos/sessions';
import { hashSecret, newSecret } from '../ids';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, sessionStatus, shouldTouch } from './session-policy';

export const SESSION_COOKIE = 'scomo_session';

export type Session = { idHash: string; adminId: string; createdAt: number; lastSeenAt: number; expiresAt: number };

export function createSession(db: Db, adminId: string, now: number, userAgent = ''): { token: string; session: Session } {
	const token = newSecret(32);
	const session: Session = {
		idHash: hashSecret(token),
		adminId,
		createdAt: now,
		lastSeenAt: now,
		expiresAt: now + SESSION_ABSOLUTE_MS
	};
	repo.insertSession(db, { ...session, userAgent: userAgent.slice(0, 200) });
	return { token, session };
}

/** The live session for a cookie value, with its activity refreshed; null (and deleted) when expired. */
export function validateSession(db: Db, token: string, now: number): Session | null {
	if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
	const idHash = hashSecret(token);
	const row = repo.getSession(db, idHash);
	if (!row) return null;
	if (sessionStatus(row, now) !== 'valid') {
		repo.deleteSession(db, idHash);
		return null;
	}
	if (shouldTouch(row, now)) {
		repo.touchSession(db, idHash, now);
		row.lastSeenAt = now;
	}
	return { idHash, adminId: row.adminId, createdAt: row.createdAt, lastSeenAt: row.lastSeenAt, expiresAt: row.expiresAt };
}

export function deleteSessionByToken(db: Db, token: string): void {
	repo.deleteSession(db, hashSecret(token));
}

/** Sign out everywhere: every session of the administrator (optionally keeping one). */
export function deleteAdminSessions(db: Db, adminId: string, keepIdHash?: string): number {
	return repo.deleteSessionsOfAdmin(db, adminId, keepIdHash);
}

export function countAdminSessions(db: Db, adminId: string): number {
	return repo.countSessionsOfAdmin(db, adminId);
}

/** Remove sessions past either expiry (housekeeping; validation refuses them anyway). */
export function purgeExpiredSessions(db: Db, now: number): number {
	return repo.deleteExpiredSessions(db, now, now - SESSION_IDLE_MS);
}

/** Cookie attributes: HttpOnly, SameSite=Lax, Secure when the public origin is https. */
export function setSessionCookie(cookies: Cookies, token: string, session: Session, origin: string): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: origin.startsWith('https:'),
		// The browser keeps it until the absolute expiry; the server enforces the idle expiry itself.
		expires: new Date(session.expiresAt)
	});
}

export function clearSessionCookie(cookies: Cookies, origin: string): void {
	cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: origin.startsWith('https:') });
}
