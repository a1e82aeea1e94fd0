/**
 * The one keyset cursor scheme of every paged list (devices, operations, audit, packages, device requests,
 * enrollment codes, batches): a cursor is the sort key of the previous page's last row, as a base64url JSON
 * array, opaque to clients. Each list declares its key's shape; a cursor that does not decode to that shape
 * is refused (null), never read as "from the start".
 */
import { fail, type Outcome } from './errors';

export type KeyPart = 'text' | 'int';
type Value<P extends KeyPart> = P extends 'text' ? string : number;
export type Key<S extends readonly KeyPart[]> = { [I in keyof S]: Value<S[I]> };

const MAX_CURSOR = 400;

export function encodeCursor(values: readonly (string | number)[]): string {
	return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export function decodeCursor<const S extends readonly KeyPart[]>(text: string, shape: S): Key<S> | null {
	if (text.length > MAX_CURSOR || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
	try {
		const v: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
		if (!Array.isArray(v) || v.length !== shape.length) return null;
		const fits = shape.every((p, i) => (p === 'text' ? typeof v[i] === 'string' : Number.isSafeInteger(v[i])));
		return fits ? (v as Key<S>) : null;
	} catch {
		return null; // not JSON
	}
}

/** What a list answers for a cursor it did not give out (400 on REST). */
export const badCursor = (): Outcome<never> =>
	fail('invalid_request', 'cursor: not a cursor this list gave out', [{ path: 'cursor', message: 'not a cursor this list gave out' }]);

/**
 * A page from rows read with `limit + 1`: the extra row only tells that another page follows, and the
 * cursor is the key of the last row shown.
 */
export function pageOf<R>(rows: R[], limit: number, keyOf: (r: R) => readonly (string | number)[]): { rows: R[]; nextCursor: string | null } {
	const more = rows.length > limit;
	const shown = more ? rows.slice(0, limit) : rows;
	const last = shown.at(-1);
	return { rows: shown, nextCursor: more && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

export const DEFAULT_PAGE_SIZE = 100;
/** A page size from 1 to 1000 (the contract's bounds; the console passes its own). */
export const clampLimit = (limit: number | undefined) => Math.min(Math.max(limit ?? DEFAULT_PAGE_SIZE, 1), 1000);

/** What every paged list takes and answers (REST `{items, nextCursor, total}`). */
export type PageQuery = { limit?: number; cursor?: string };
export type Page<T> = { items: T[]; nextCursor: string | null; total: number };
