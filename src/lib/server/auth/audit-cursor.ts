/** The audit log's cursor (services/keyset-cursor.ts, the one scheme of every list): the previous page's last time and event ID. */
import type { AuditCursor } from '../db/repos/audit';
import { decodeCursor, encodeCursor } from '../services/keyset-cursor';

export const encodeAuditCursor = (c: AuditCursor): string => encodeCursor([c.at, c.id]);

export function decodeAuditCursor(text: string): AuditCursor | null {
	const k = decodeCursor(text, ['int', 'text']);
	return k ? { at: k[0], id: k[1] } : null;
}
