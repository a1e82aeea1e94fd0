/** The operations list's cursor (keyset-cursor.ts): the previous page's last creation time, batch position and ID. */
import type { OperationCursor } from '../db/repos/operations';
import { decodeCursor, encodeCursor } from './keyset-cursor';

export const encodeOperationCursor = (c: OperationCursor): string => encodeCursor([c.createdAt, c.seq, c.id]);

export function decodeOperationCursor(text: string): OperationCursor | null {
	const k = decodeCursor(text, ['int', 'int', 'text']);
	return k ? { createdAt: k[0], seq: k[1], id: k[2] } : null;
}
