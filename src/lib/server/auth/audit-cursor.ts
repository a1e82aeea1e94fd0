/**
 * The audit log's keyset cursor: where the previous page ended (its last time and event ID), opaque to
 * clients (base64url JSON). A cursor that does not decode is refused, never read as "from the start".
 */
import type { AuditCursor } from '../db/repos/audit';

export function encodeAuditCursor(c: AuditCursor): string {
	return Buffer.from(JSON.stringify([c.at, c.id]), 'utf8').toString('base64url');
}

export function decodeAuditCursor(text: string): AuditCursor | null {
	if (!/^[A-Za-z0-9_-]+$/.test(text) || text.length > 400) return null;
	try {
		const v: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
		if (Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === 'string') return { at: v[0] as number, id: v[1] };
	} catch {
		// not JSON: refused below
	}
	return null;
}
