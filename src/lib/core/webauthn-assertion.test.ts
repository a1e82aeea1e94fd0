import { describe, it, expect } from 'vitest';
import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { checkAssertion, derToRawEcdsa } from './webauthn-assertion';
import { sha256 } from './merkle-sha256';

const h = (b: Uint8Array | string) => createHash('sha256').update(b).digest();
const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');

function assertionFor(opts: { rpId?: string; flags?: number; type?: string; challenge?: string; origin?: string; crossOrigin?: boolean } = {}) {
	const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
	const authData = Buffer.concat([h(opts.rpId ?? 'localhost'), Buffer.from([opts.flags ?? 0x05]), Buffer.from([0, 0, 0, 1])]);
	const clientData = Buffer.from(
		JSON.stringify({ type: opts.type ?? 'webauthn.get', challenge: opts.challenge ?? 'CHALLENGE', origin: opts.origin ?? 'http://localhost:3000', crossOrigin: opts.crossOrigin ?? false })
	);
	const signature = sign('sha256', Buffer.concat([authData, h(clientData)]), privateKey);
	return {
		publicKey,
		approval: { credentialId: 'cred', authenticatorData: b64u(authData), clientDataJSON: b64u(clientData), signature: b64u(signature) }
	};
}

const expected = { challenge: 'CHALLENGE', origin: 'http://localhost:3000', rpId: 'localhost' };

describe('checkAssertion', () => {
	it('accepts a genuine assertion; the signed data verifies, also as raw r||s', () => {
		const { approval, publicKey } = assertionFor();
		const r = checkAssertion(sha256, approval, expected);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(verify('sha256', r.value.signedData, publicKey, r.value.signature)).toBe(true);
		const raw = derToRawEcdsa(r.value.signature)!;
		expect(raw.length).toBe(64);
		expect(verify('sha256', r.value.signedData, { key: publicKey, dsaEncoding: 'ieee-p1363' }, raw)).toBe(true);
	});

	it.each([
		['another RP', { rpId: 'evil.example' }, 'relying party'],
		['no user presence', { flags: 0x04 }, 'not present'],
		['no user verification', { flags: 0x01 }, 'not verified'],
		['a registration', { type: 'webauthn.create' }, 'webauthn.get'],
		['another challenge', { challenge: 'OTHER' }, 'another challenge'],
		['another origin', { origin: 'http://evil.example' }, 'another origin'],
		['a cross-origin frame', { crossOrigin: true }, 'cross-origin']
	])('refuses %s', (_name, opts, message) => {
		const r = checkAssertion(sha256, assertionFor(opts).approval, expected);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.error).toContain(message);
	});

	it('refuses malformed input', () => {
		const { approval } = assertionFor();
		expect(checkAssertion(sha256, { ...approval, authenticatorData: 'AAAA' }, expected).ok).toBe(false);
		expect(checkAssertion(sha256, { ...approval, clientDataJSON: b64u(Buffer.from('not json')) }, expected).ok).toBe(false);
		expect(checkAssertion(sha256, { ...approval, signature: '***' }, expected).ok).toBe(false);
	});
});

describe('derToRawEcdsa', () => {
	it('refuses malformed DER', () => {
		expect(derToRawEcdsa(new Uint8Array([1, 2, 3]))).toBeNull();
		expect(derToRawEcdsa(new Uint8Array([0x30, 2, 0x02, 0]))).toBeNull();
	});
});
