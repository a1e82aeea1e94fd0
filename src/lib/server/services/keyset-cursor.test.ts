/** The one cursor scheme of every paged list: round trips, and anything else refused (never "from the start"). */
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageOf } from './keyset-cursor';

describe('keyset cursors', () => {
	it('round-trips a key of the declared shape', () => {
		const c = encodeCursor([1700000000000, 'a-b_c']);
		expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(decodeCursor(c, ['int', 'text'])).toEqual([1700000000000, 'a-b_c']);
		expect(decodeCursor(encodeCursor(['Lobby kiosk', 'id-1']), ['text', 'text'])).toEqual(['Lobby kiosk', 'id-1']);
	});

	it.each([
		['not base64url', 'a+b/c=='],
		['not JSON', Buffer.from('hello').toString('base64url')],
		['not an array', Buffer.from('{"a":1}').toString('base64url')],
		['too short', encodeCursor([1])],
		['too long', encodeCursor([1, 'a', 'b'])],
		['a text where a number belongs', encodeCursor(['1', 'a'])],
		['a fraction', encodeCursor([1.5, 'a'])],
		['empty', ''],
		['over 400 characters', 'A'.repeat(401)]
	])('refuses a cursor that is %s', (_why, text) => {
		expect(decodeCursor(text, ['int', 'text'])).toBeNull();
	});

	it('another list’s cursor does not fit this list’s shape', () => {
		expect(decodeCursor(encodeCursor(['com.acme.x', 'id']), ['int', 'text'])).toBeNull();
	});

	it('a page of rows read with limit + 1: the extra row only says that more follow', () => {
		const rows = [1, 2, 3, 4].map((n) => ({ n, id: `r${n}` }));
		const more = pageOf(rows, 3, (r) => [r.n, r.id]);
		expect(more.rows.map((r) => r.n)).toEqual([1, 2, 3]);
		expect(decodeCursor(more.nextCursor!, ['int', 'text'])).toEqual([3, 'r3']);
		const last = pageOf(rows.slice(0, 3), 3, (r) => [r.n, r.id]);
		expect(last.nextCursor).toBeNull();
	});
});
