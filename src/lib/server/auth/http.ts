/** Small helpers the /auth/* endpoints share: JSON errors in the contract's shape, sign-in completion. */
import { json, type Cookies } from '@sveltejs/kit';
import { ERROR_CODES, type ApiError } from '../../contract/errors';
import type { Db } from '../db/open';
import { createSession, deleteSessionByToken, purgeExpiredSessions, SESSION_COOKIE, setSessionCookie } from './sessions';
import { CURRENT_MA_COOKIE } from './resolve';

export function apiError(e: ApiError): Response {
	return json({ error: e }, { status: ERROR_CODES[e.code].status });
}

export async function readJson(request: Request): Promise<unknown> {
	if (!(request.headers.get('content-type') ?? '').includes('application/json')) return undefined;
	try {
		return await request.json();
	} catch {
		return undefined;
	}
}

/**
 * Start a fresh session for the administrator (rotation: whatever session this browser had is deleted,
 * so a session id fixed before sign-in never becomes an authenticated one).
 */
export function beginSession(db: Db, cookies: Cookies, origin: string, adminId: string, now: number, userAgent: string, maId?: string | null): void {
	const previous = cookies.get(SESSION_COOKIE);
	if (previous) deleteSessionByToken(db, previous);
	// Housekeeping at a moment that is rare and not latency-critical: sessions past either expiry go.
	purgeExpiredSessions(db, now);
	const { token, session } = createSession(db, adminId, now, userAgent);
	setSessionCookie(cookies, token, session, origin);
	if (maId) setCurrentMa(cookies, origin, maId);
}

export function setCurrentMa(cookies: Cookies, origin: string, maId: string): void {
	cookies.set(CURRENT_MA_COOKIE, maId, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: origin.startsWith('https:'),
		maxAge: 365 * 24 * 3600
	});
}
