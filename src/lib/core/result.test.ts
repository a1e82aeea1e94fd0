import { describe, it, expect, expectTypeOf } from 'vitest';
import { ok, err, type Result } from './result';

/** A small domain function in the core's style: failure is a value with a stable code. */
const half = (n: number): Result<number, { code: 'odd'; n: number }> => (n % 2 === 0 ? ok(n / 2) : err({ code: 'odd', n }));

describe('result', () => {
	it('ok wraps a value', () => {
		const r: Result<number, string> = ok(3);
		expect(r).toEqual({ ok: true, value: 3 });
	});

	it('err wraps an error', () => {
		const r: Result<number, string> = err('boom');
		expect(r).toEqual({ ok: false, error: 'boom' });
	});

	it('narrows on ok: the value on the ok branch, the error on the other', () => {
		const even = half(8);
		const odd = half(7);
		expect(even.ok).toBe(true);
		expect(odd.ok).toBe(false);
		if (even.ok) {
			expectTypeOf(even.value).toEqualTypeOf<number>();
			expect(even.value).toBe(4);
		}
		if (!odd.ok) {
			expectTypeOf(odd.error).toEqualTypeOf<{ code: 'odd'; n: number }>();
			expect(odd.error).toEqual({ code: 'odd', n: 7 });
		}
		// Each branch carries only its own field.
		expect(even).not.toHaveProperty('error');
		expect(odd).not.toHaveProperty('value');
	});
});
