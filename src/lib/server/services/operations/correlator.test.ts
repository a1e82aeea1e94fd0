import { describe, expect, it } from 'vitest';
import { newCorrelator } from './create';

describe('correlators', () => {
	it('are 16 random bytes in base64url that never start with "-" (a command line would read an option)', () => {
		const seen = new Set<string>();
		// 1/64 of random correlators would start with '-': 5,000 draws make that all but certain without the rule.
		for (let i = 0; i < 5000; i++) {
			const c = newCorrelator();
			expect(c).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
			seen.add(c);
		}
		expect(seen.size).toBe(5000);
	});
});
