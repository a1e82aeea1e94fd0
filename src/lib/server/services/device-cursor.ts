/** The devices list's cursor (keyset-cursor.ts): the previous page's last name and device ID. */
import type { DeviceCursor } from '../db/repos/device-list';
import { decodeCursor, encodeCursor } from './keyset-cursor';

export const encodeDeviceCursor = (c: DeviceCursor): string => encodeCursor([c.name, c.id]);

export function decodeDeviceCursor(text: string): DeviceCursor | null {
	const k = decodeCursor(text, ['text', 'text']);
	return k ? { name: k[0], id: k[1] } : null;
}
