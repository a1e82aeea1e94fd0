/**
 * Short-lived download tokens (SCOMO-SEC-03): an HMAC-SHA-256 over {device, package version, expiry}
 * with the server secret. Nothing is stored; a restart keeps them valid until they expire.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const DOWNLOAD_TOKEN_TTL_MS = 5 * 60 * 1000;

export type DownloadClaims = { deviceId: string; versionId: string; expiresAt: number };

export function signDownloadToken(key: Buffer, c: DownloadClaims): string {
	const body = Buffer.from(JSON.stringify({ d: c.deviceId, v: c.versionId, e: c.expiresAt })).toString('base64url');
	const mac = createHmac('sha256', key).update(`scomo-download:v1:${body}`).digest('base64url');
	return `${body}.${mac}`;
}

/** The claims of a genuine, unexpired token; null for anything else. */
export function verifyDownloadToken(key: Buffer, token: string, now: number): DownloadClaims | null {
	const m = /^([A-Za-z0-9_-]{1,512})\.([A-Za-z0-9_-]{43})$/.exec(token);
	if (!m) return null;
	const expected = createHmac('sha256', key).update(`scomo-download:v1:${m[1]}`).digest();
	const given = Buffer.from(m[2]!, 'base64url');
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
	let claims: { d?: unknown; v?: unknown; e?: unknown };
	try {
		claims = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8'));
	} catch {
		return null;
	}
	if (typeof claims.d !== 'string' || typeof claims.v !== 'string' || typeof claims.e !== 'number') return null;
	if (claims.e <= now) return null;
	return { deviceId: claims.d, versionId: claims.v, expiresAt: claims.e };
}
