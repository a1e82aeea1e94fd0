import { describe, expect, it } from 'vitest';
import { enrollCodeProblem } from './enroll-words';

describe('enrollment code problems, in words', () => {
	it('says which problem, and to ask for a new code', () => {
		expect(enrollCodeProblem('used')).toMatch(/already used.*new code/);
		expect(enrollCodeProblem('revoked')).toMatch(/withdrawn.*new code/);
		expect(enrollCodeProblem('expired')).toMatch(/expired.*new code/);
		expect(enrollCodeProblem('unknown')).toMatch(/not recognised.*typed it exactly/);
		expect(new Set(['used', 'revoked', 'expired', 'unknown'].map(enrollCodeProblem)).size).toBe(4);
	});
});
