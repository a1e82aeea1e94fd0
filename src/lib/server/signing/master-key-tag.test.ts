import { describe, it, expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import { openSecret, sealSecret } from './master-key';

describe('master key sealing: the GCM tag is the full 16 bytes', () => {
	it('a sealed value with its tag cut to 4, 8 or 12 bytes does not open (Node would accept short tags)', () => {
		const key = randomBytes(32);
		const sealed = sealSecret(key, Buffer.from('private key bytes'), 'aad');
		const parts = sealed.split('.');
		const tag = Buffer.from(parts[3]!, 'base64url');
		expect(tag.length).toBe(16);
		for (const n of [4, 8, 12]) {
			const cut = [...parts.slice(0, 3), tag.subarray(0, n).toString('base64url')].join('.');
			expect(() => openSecret(key, cut, 'aad'), `${n}-byte tag`).toThrow();
		}
		expect(openSecret(key, sealed, 'aad').toString()).toBe('private key bytes');
	});
});
