import { describe, it, expect } from 'vitest';
import * as v from 'valibot';
import { HumanText } from './common';

const ok = (s: string) => v.safeParse(HumanText(200), s).success;

describe('HumanText', () => {
	it.each([0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069])('refuses U+%s', (cp) => {
		const r = v.safeParse(HumanText(200), `Invoice ${String.fromCodePoint(cp)}fdp.exe`);
		expect(r.success).toBe(false);
		expect(r.issues?.[0]?.message).toContain('bidirectional');
	});

	it('accepts ordinary text in any script, right-to-left included', () => {
		expect(ok('Kiosk 12 — lobby')).toBe(true);
		expect(ok('שלום עולם')).toBe(true);
		expect(ok('مرحبا')).toBe(true);
		expect(ok('Ünïcödé ✓')).toBe(true);
		// The implicit marks (LRM, RLM) do not reorder text: allowed.
		expect(ok('a\u200Eb\u200Fc')).toBe(true);
	});
});
