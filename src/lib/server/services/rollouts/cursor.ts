/** Keyset cursors of the rollout lists: opaque base64url JSON; one that does not decode is refused, never "from the start". */
import type { RolloutCursor, RolloutDeviceCursor } from '../../db/repos/rollouts';

const encode = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');
function decode(text: string): unknown {
	if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
	try {
		return JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
	} catch {
		return null;
	}
}

export const encodeRolloutCursor = (c: RolloutCursor) => encode([c.createdAt, c.id]);
export function decodeRolloutCursor(text: string): RolloutCursor | null {
	const v = decode(text);
	return Array.isArray(v) && v.length === 2 && Number.isInteger(v[0]) && typeof v[1] === 'string' ? { createdAt: v[0] as number, id: v[1] } : null;
}

export const encodeRolloutDeviceCursor = (c: RolloutDeviceCursor) => encode([c.phaseIdx, c.deviceId]);
export function decodeRolloutDeviceCursor(text: string): RolloutDeviceCursor | null {
	const v = decode(text);
	return Array.isArray(v) && v.length === 2 && Number.isInteger(v[0]) && typeof v[1] === 'string' ? { phaseIdx: v[0] as number, deviceId: v[1] } : null;
}
