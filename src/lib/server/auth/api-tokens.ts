/**
 * MA API tokens for the REST API (SCOMO-SEC-02). The secret is shown once at creation; only its SHA-256
 * is stored. Scope 'read' acts as a viewer, 'operate' as an operator (core policy); tokens never manage.
 */
import type { Actor, TokenScope } from '../../core/policy';
import { hashSecret, newId, newSecret } from '../ids';
import * as repo from '../db/repos/api-tokens';
import type { Q } from '../db/repos/types';

/** Recognisable prefix, so a leaked token is easy to grep for in logs and repositories. */
export const API_TOKEN_PREFIX = 'scomo_';

export type TokenActor = Extract<Actor, { type: 'token' }>;

export function createApiToken(
	q: Q,
	input: { maId: string; scope: TokenScope; name: string },
	now: number
): { tokenId: string; token: string } {
	const token = `${API_TOKEN_PREFIX}${newSecret(32)}`;
	const tokenId = newId();
	repo.insertApiToken(q, {
		id: tokenId,
		maId: input.maId,
		name: input.name,
		scope: input.scope,
		secretHash: hashSecret(token),
		createdAt: now
	});
	return { tokenId, token };
}

// Writing last use on every request would turn reads into writes; once a minute is enough to see it.
const TOUCH_EVERY_MS = 60_000;

/** The actor of a valid, unrevoked token (its last use recorded), or null. */
export function verifyApiToken(q: Q, token: string, now: number): TokenActor | null {
	if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 200) return null;
	const row = repo.getApiTokenByHash(q, hashSecret(token));
	if (!row || row.revokedAt !== null) return null;
	if (row.scope !== 'read' && row.scope !== 'operate') return null;
	if (row.lastUsedAt === null || now - row.lastUsedAt >= TOUCH_EVERY_MS) repo.touchApiToken(q, row.id, now);
	return { type: 'token', id: row.id, maId: row.maId, scope: row.scope };
}

/** `Authorization: Bearer <token>` → the token's actor and MA, or null (no header or a bad token). */
export function resolveBearer(q: Q, authorization: string | null, now: number): { actor: TokenActor; maId: string } | null {
	const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
	if (!m) return null;
	const actor = verifyApiToken(q, m[1]!, now);
	return actor ? { actor, maId: actor.maId } : null;
}

export function revokeApiToken(q: Q, maId: string, tokenId: string, now: number): boolean {
	const row = repo.getApiToken(q, tokenId);
	if (!row || row.maId !== maId) return false;
	repo.revokeApiToken(q, tokenId, now);
	return true;
}

export function listApiTokens(q: Q, maId: string) {
	return repo.listApiTokens(q, maId).map((r) => ({
		id: r.id,
		name: r.name,
		scope: r.scope as TokenScope,
		createdAt: r.createdAt,
		lastUsedAt: r.lastUsedAt,
		revokedAt: r.revokedAt
	}));
}
