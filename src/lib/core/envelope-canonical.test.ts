import { describe, it, expect } from 'vitest';
import { canonicalJson } from './envelope-canonical';
import { b64u, fromB64u, bytesEqual, utf8, fromUtf8, hex } from './envelope-bytes';

describe('canonicalJson', () => {
	it('sorts keys at every depth and drops undefined members', () => {
		expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' }, u: undefined })).toBe(
			'{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}'
		);
	});

	it('is independent of insertion order', () => {
		const a = { maId: 'm', operations: [{ kind: 'Remove', componentId: 'c' }], nonce: 'n' };
		const b = { nonce: 'n', operations: [{ componentId: 'c', kind: 'Remove' }], maId: 'm' };
		expect(canonicalJson(a)).toBe(canonicalJson(b));
	});

	it('escapes strings as JSON does', () => {
		expect(canonicalJson({ t: 'a"b\\c\n\u00e9' })).toBe(JSON.stringify({ t: 'a"b\\c\n\u00e9' }));
	});

	it('refuses values that JSON cannot carry', () => {
		expect(() => canonicalJson({ x: NaN })).toThrow();
		expect(() => canonicalJson({ x: Infinity })).toThrow();
		expect(() => canonicalJson({ x: () => 1 })).toThrow();
		expect(() => canonicalJson({ x: 1n })).toThrow();
	});
});

describe('envelope bytes', () => {
	it('base64url round-trips every length and matches Buffer', () => {
		for (let n = 0; n < 40; n++) {
			const bytes = new Uint8Array(n).map((_, i) => (i * 37 + n) & 0xff);
			const text = b64u(bytes);
			expect(text).toBe(Buffer.from(bytes).toString('base64url'));
			expect(bytesEqual(fromB64u(text)!, bytes)).toBe(true);
		}
	});

	it('rejects text that is not base64url', () => {
		expect(fromB64u('ab+c')).toBeNull();
		expect(fromB64u('abcde')).toBeNull();
	});

	it('utf8 and hex', () => {
		expect(fromUtf8(utf8('héllo'))).toBe('héllo');
		expect(fromUtf8(new Uint8Array([0xff, 0xfe]))).toBeNull();
		expect(hex(new Uint8Array([0, 15, 255]))).toBe('000fff');
	});
});
