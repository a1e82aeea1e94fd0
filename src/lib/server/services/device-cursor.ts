/**
 * The devices list's keyset cursor: where the previous page ended (its last name and device ID), opaque to
 * clients (base64url JSON). A cursor that does not decode is refused, never read as "from the start".
 */
import type { DeviceCursor } from '../db/repos/device-list';

export function encodeDeviceCursor(c: DeviceCursor): string {
	return Buffer.from(JSON.stringify([c.name, c.id]), 'utf8').toString('base64url');
}

export function decodeDeviceCursor(text: string): DeviceCursor | null {
	if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
	try {
		const v: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
		if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return { name: v[0], id: v[1] };
	} catch {
		// not JSON: refused below
	}
	return null;
}
