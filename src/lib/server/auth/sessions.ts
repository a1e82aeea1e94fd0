/**
 * Administrator sessions. The cookie carries 32 random bytes; the database keeps only their SHA-256, so
 * a leaked database cannot be replayed as cookies. A new session is created on every sign-in (rotation:
 * a session id planted before sign-in is never promoted), and sign-out deletes it; "sign out everywhere"
 * deletes every session of the administrator.
 */
import { and, eq, lt, ne, or } from 'drizzle-orm';
import type { Cookies } from '@sveltejs/kit';
import type { Db } from '../db/open';
import { sessions } from '../db/schema-auth';
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
	db.insert(sessions)
		.values({ ...session, userAgent: userAgent.slice(0, 200) })
		.run();
	return { token, session };
}

/** The live session for a cookie value, with its activity refreshed; null (and deleted) when expired. */
export function validateSession(db: Db, token: string, now: number): Session | null {
	if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
	const idHash = hashSecret(token);
	const row = db.select().from(sessions).where(eq(sessions.idHash, idHash)).get();
	if (!row) return null;
	if (sessionStatus(row, now) !== 'valid') {
		db.delete(sessions).where(eq(sessions.idHash, idHash)).run();
		return null;
	}
	if (shouldTouch(row, now)) {
		db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.idHash, idHash)).run();
		row.lastSeenAt = now;
	}
	return { idHash, adminId: row.adminId, createdAt: row.createdAt, lastSeenAt: row.lastSeenAt, expiresAt: row.expiresAt };
}

export function deleteSessionByToken(db: Db, token: string): void {
	db.delete(sessions).where(eq(sessions.idHash, hashSecret(token))).run();
}

/** Sign out everywhere: every session of the administrator (optionally keeping one). */
export function deleteAdminSessions(db: Db, adminId: string, keepIdHash?: string): number {
	const where = keepIdHash
		? and(eq(sessions.adminId, adminId), ne(sessions.idHash, keepIdHash))
		: eq(sessions.adminId, adminId);
	return db.delete(sessions).where(where).run().changes;
}

export function countAdminSessions(db: Db, adminId: string): number {
	return db.select({ h: sessions.idHash }).from(sessions).where(eq(sessions.adminId, adminId)).all().length;
}

/** Remove sessions past either expiry (housekeeping; validation refuses them anyway). */
export function purgeExpiredSessions(db: Db, now: number): number {
	return db
		.delete(sessions)
		.where(or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, now - SESSION_IDLE_MS)))
		.run().changes;
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
