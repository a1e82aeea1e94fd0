import { describe, expect, it } from 'vitest';
import { BaselineId, parse } from '../contract';
import { pwaBaseline } from './baseline';

describe('pwaBaseline (SCOMO-HLFR-9)', () => {
	it('combines the build version and the platform into a valid baseline ID', () => {
		const id = pwaBaseline('1764111111111', 'Linux x86_64');
		expect(id).toBe('scomo-pwa-1764111111111-Linux-x86_64');
		expect(parse(BaselineId, id).ok).toBe(true);
	});

	it('stays valid for odd platforms and very long versions', () => {
		for (const [v, p] of [['', ''], ['  ', 'Mac OS/ärm'], ['x'.repeat(300), 'y']] as const) {
			const id = pwaBaseline(v, p);
			expect(parse(BaselineId, id).ok).toBe(true);
		}
	});
});
