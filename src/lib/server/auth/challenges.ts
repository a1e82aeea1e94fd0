/**
 * WebAuthn challenges: random, stored server-side, single use (deleted when consumed) and valid for five
 * minutes. A challenge is looked up by its own value, which the client echoes in clientDataJSON, so no
 * extra cookie is needed and username-less sign-in works (as Lucia's WebAuthn example does).
 */
import type { Db } from '../db/open';
import * as repo from '../db/repos/webauthn-challenges';

export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

export type ChallengePurpose = 'register' | 'signin' | 'step-up';

/** What a registration ceremony is for; kept with the challenge so the verify step cannot change it. */
export type RegisterIntent =
	| { kind: 'setup'; setupTokenHash: string; maName: string; displayName: string; userHandle: string }
	| { kind: 'invite'; invitationTokenHash: string; displayName: string; userHandle: string }
	| { kind: 'add'; passkeyName: string };

export type StoredChallenge = {
	challenge: string;
	purpose: ChallengePurpose;
	adminId: string | null;
	data: Record<string, unknown>;
	expiresAt: number;
};

export function saveChallenge(
	db: Db,
	c: { challenge: string; purpose: ChallengePurpose; adminId?: string | null; data?: object },
	now: number
): void {
	// Expired challenges are swept here, so the table stays small without a timer.
	repo.deleteExpiredChallenges(db, now);
	repo.insertChallenge(db, {
		challenge: c.challenge,
		purpose: c.purpose,
		adminId: c.adminId ?? null,
		data: JSON.stringify(c.data ?? {}),
		createdAt: now,
		expiresAt: now + CHALLENGE_TTL_MS
	});
}

/**
 * Take a challenge out of the store: it is deleted whatever happens next (single use). Returns null when it
 * is unknown, already used, of another purpose or expired.
 */
export function consumeChallenge(db: Db, challenge: string, purpose: ChallengePurpose, now: number): StoredChallenge | null {
	const row = repo.takeChallenge(db, challenge, purpose);
	if (!row || row.expiresAt <= now) return null;
	let data: Record<string, unknown> = {};
	try {
		data = JSON.parse(row.data) as Record<string, unknown>;
	} catch {
		return null;
	}
	return { challenge: row.challenge, purpose, adminId: row.adminId, data, expiresAt: row.expiresAt };
}

/** The challenge a WebAuthn response answers, read from its clientDataJSON (base64url JSON); null if malformed. */
export function challengeOf(response: { response?: { clientDataJSON?: unknown } }): string | null {
	const raw = response?.response?.clientDataJSON;
	if (typeof raw !== 'string' || raw.length > 8192) return null;
	try {
		const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { challenge?: unknown };
		return typeof parsed.challenge === 'string' && /^[A-Za-z0-9_-]{16,128}$/.test(parsed.challenge)
			? parsed.challenge
			: null;
	} catch {
		return null;
	}
}
