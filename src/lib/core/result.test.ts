import { describe, it, expect } from 'vitest';
import { ok, err, type Result } from './result';

describe('result', () => {
	it('ok wraps a value', () => {
		const r: Result<number, string> = ok(3);
		expect(r).toEqual({ ok: true, value: 3 });
	});

	it('err wraps an error', () => {
		const r: Result<number, string> = err('boom');
		expect(r).toEqual({ ok: false, error: 'boom' });
	});

	it('narrows on ok', () => {
		const r: Result<number, string> = Math.random() > 2 ? ok(1) : err('x');
		if (r.ok) throw new Error('expected err');
		expect(r.error).toBe('x');
	});
});
