/**
 * From a request's session cookie to the policy's actor: the administrator with every membership, and
 * the MA the request acts within (the one chosen with the MA switcher, else the first membership).
 */
import type { Cookies } from '@sveltejs/kit';
import type { Actor } from '../../core/policy';
import type { Db } from '../db/open';
import { adminActor } from './accounts';
import { SESSION_COOKIE, validateSession } from './sessions';

/** The MA switcher's cookie: which of the administrator's MAs the console shows. */
export const CURRENT_MA_COOKIE = 'scomo_ma';

export type ResolvedAdmin = {
	actor: Extract<Actor, { type: 'admin' }>;
	maId: string | null;
	session: { idHash: string; adminId: string };
};

export function resolveAdminSession(db: Db, cookies: Cookies, now: number): ResolvedAdmin | null {
	const token = cookies.get(SESSION_COOKIE);
	if (!token) return null;
	const session = validateSession(db, token, now);
	if (!session) return null;
	const actor = adminActor(db, session.adminId);
	const wanted = cookies.get(CURRENT_MA_COOKIE);
	// A cookie naming an MA the administrator does not belong to is ignored, never trusted.
	const maId = actor.memberships.find((m) => m.maId === wanted)?.maId ?? actor.memberships[0]?.maId ?? null;
	return { actor, maId, session: { idHash: session.idHash, adminId: session.adminId } };
}
