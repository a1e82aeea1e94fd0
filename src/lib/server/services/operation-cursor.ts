/**
 * The operations list's keyset cursor: where the previous page ended (its last creation time, batch position
 * and ID), opaque to clients (base64url JSON). A cursor that does not decode is refused, never read as
 * "from the start".
 */
import type { OperationCursor } from '../db/repos/operations';

export function encodeOperationCursor(c: OperationCursor): string {
	return Buffer.from(JSON.stringify([c.createdAt, c.seq, c.id]), 'utf8').toString('base64url');
}

export function decodeOperationCursor(text: string): OperationCursor | null {
	if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
	try {
		const v: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
		if (Array.isArray(v) && v.length === 3 && Number.isSafeInteger(v[0]) && Number.isSafeInteger(v[1]) && typeof v[2] === 'string')
			return { createdAt: v[0] as number, seq: v[1] as number, id: v[2] };
	} catch {
		// not JSON: refused below
	}
	return null;
}
