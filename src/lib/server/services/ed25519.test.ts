import { describe, it, expect } from 'vitest';
import { generateKeyPairSync, sign } from 'node:crypto';
import { ed25519PublicKey, verifyEd25519 } from './ed25519';

function keyPair() {
	const { publicKey, privateKey } = generateKeyPairSync('ed25519');
	const raw = publicKey.export({ format: 'jwk' }).x as string;
	return { raw, privateKey };
}

describe('Ed25519 device keys', () => {
	it('verifies a good signature and refuses a changed message or another key', () => {
		const a = keyPair();
		const b = keyPair();
		const sig = sign(null, Buffer.from('hello'), a.privateKey).toString('base64url');
		expect(verifyEd25519(a.raw, 'hello', sig)).toBe(true);
		expect(verifyEd25519(a.raw, 'hello!', sig)).toBe(false);
		expect(verifyEd25519(b.raw, 'hello', sig)).toBe(false);
	});
	it('refuses malformed keys and signatures without throwing', () => {
		expect(ed25519PublicKey('abc')).toBeNull();
		const a = keyPair();
		expect(verifyEd25519(a.raw, 'x', 'not-a-signature')).toBe(false);
		expect(verifyEd25519('', 'x', '')).toBe(false);
	});
	it('imports a key once and answers from the same key object after that', () => {
		const a = keyPair();
		const first = ed25519PublicKey(a.raw);
		expect(first).not.toBeNull();
		expect(ed25519PublicKey(a.raw)).toBe(first);
		expect(ed25519PublicKey(keyPair().raw)).not.toBe(first);
	});
});
