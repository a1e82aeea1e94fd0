/**
 * First run: while no MA exists, the server issues a one-time setup link on start, prints it and writes it
 * to <dataDir>/setup-link.txt (mode 0600). Opening it lets the first administrator create an MA and
 * register a passkey. The CLI (scripts/setup-link.ts) issues the same kind of link at any time: each link
 * creates exactly one new MA with its first owner, so only whoever can read the server's output or data
 * directory can create MAs.
 */
import { writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import * as setupTokensRepo from '../db/repos/setup-tokens';
import * as masRepo from '../db/repos/mas';
import type { Q } from '../db/repos/types';
import { hashSecret, newId, newSecret } from '../ids';

export const SETUP_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;
export const SETUP_LINK_FILE = 'setup-link.txt';

export const setupPath = (token: string) => `/setup?token=${encodeURIComponent(token)}`;

export function issueSetupToken(q: Q, now: number, ttlMs = SETUP_TOKEN_TTL_MS): { token: string; expiresAt: number } {
	const token = newSecret(32);
	setupTokensRepo.insertSetupToken(q, { id: newId(), tokenHash: hashSecret(token), createdAt: now, expiresAt: now + ttlMs });
	return { token, expiresAt: now + ttlMs };
}

export const anyMaExists = (q: Q): boolean => masRepo.anyMaExists(q);

/** Whether a setup token can still be used (unused and unexpired). */
export function setupTokenValid(q: Q, token: string, now: number): boolean {
	if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return false;
	return setupTokensRepo.setupTokenUsable(q, hashSecret(token), now);
}

/** Use the token for the new MA; false when it was used meanwhile or expired (first one wins). */
export function redeemSetupToken(q: Q, tokenHash: string, maId: string, now: number): boolean {
	return setupTokensRepo.useSetupToken(q, tokenHash, maId, now) === 1;
}

/**
 * At start: when no MA exists, issue a setup link, write it to <dataDir>/setup-link.txt and return it so
 * the caller prints it. Returns null when the product is already set up.
 */
export function firstRunLink(q: Q, origin: string, dataDir: string, now: number): string | null {
	if (anyMaExists(q)) return null;
	const { token } = issueSetupToken(q, now);
	const link = `${origin}${setupPath(token)}`;
	writeSetupLinkFile(dataDir, link);
	return link;
}

export function writeSetupLinkFile(dataDir: string, link: string): void {
	const file = path.join(dataDir, SETUP_LINK_FILE);
	writeFileSync(file, `${link}\n`, { mode: 0o600 });
	chmodSync(file, 0o600);
}
