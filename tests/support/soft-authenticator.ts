/**
 * A software WebAuthn authenticator for tests and benchmarks: ES256 (P-256) keys from node:crypto,
 * authenticator data, clientDataJSON, attestation ('none') and assertions built byte by byte as the
 * WebAuthn spec lays them out, so @simplewebauthn/server verifies them exactly like a real passkey's.
 * Discoverable credentials: the assertion carries the user handle. UP and UV flags are always set.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const b64u = (b: Uint8Array | Buffer) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | Buffer | string) => createHash('sha256').update(b).digest();

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export type SoftCredential = {
	id: Buffer;
	privateKey: KeyObject;
	/** COSE_Key of the public key (EC2, P-256, ES256). */
	cosePublicKey: Uint8Array;
	userHandle: string;
	rpId: string;
	signCount: number;
};

type CreationOptions = { challenge: string; rp: { id?: string }; user: { id: string } };
type RequestOptions = { challenge: string; rpId?: string };

function coseKey(publicKey: KeyObject): Uint8Array {
	const jwk = publicKey.export({ format: 'jwk' }) as { x: string; y: string };
	const map = new Map<number, number | Uint8Array>([
		[1, 2], // kty: EC2
		[3, -7], // alg: ES256
		[-1, 1], // crv: P-256
		[-2, new Uint8Array(Buffer.from(jwk.x, 'base64url'))],
		[-3, new Uint8Array(Buffer.from(jwk.y, 'base64url'))]
	]);
	return isoCBOR.encode(map);
}

function u32(n: number): Buffer {
	const b = Buffer.alloc(4);
	b.writeUInt32BE(n >>> 0);
	return b;
}

export class SoftAuthenticator {
	readonly credentials: SoftCredential[] = [];
	constructor(readonly origin: string) {}

	private clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string): Buffer {
		return Buffer.from(JSON.stringify({ type, challenge, origin: this.origin, crossOrigin: false }));
	}

	/** navigator.credentials.create(): a new discoverable credential, as RegistrationResponseJSON. */
	register(options: CreationOptions) {
		const rpId = options.rp.id ?? new URL(this.origin).hostname;
		const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
		const cred: SoftCredential = {
			id: randomBytes(32),
			privateKey,
			cosePublicKey: coseKey(publicKey),
			userHandle: options.user.id,
			rpId,
			signCount: 0
		};
		const idLen = Buffer.alloc(2);
		idLen.writeUInt16BE(cred.id.length);
		const authData = Buffer.concat([
			sha256(rpId),
			Buffer.from([FLAG_UP | FLAG_UV | FLAG_AT]),
			u32(cred.signCount),
			Buffer.alloc(16), // AAGUID: none
			idLen,
			cred.id,
			Buffer.from(cred.cosePublicKey)
		]);
		const attestation = new Map<string, unknown>();
		attestation.set('fmt', 'none');
		attestation.set('attStmt', new Map());
		attestation.set('authData', new Uint8Array(authData));
		const attestationObject = isoCBOR.encode(attestation as Parameters<typeof isoCBOR.encode>[0]);
		this.credentials.push(cred);
		return {
			id: b64u(cred.id),
			rawId: b64u(cred.id),
			type: 'public-key' as const,
			response: {
				clientDataJSON: b64u(this.clientData('webauthn.create', options.challenge)),
				attestationObject: b64u(attestationObject),
				transports: ['internal']
			},
			clientExtensionResults: {},
			authenticatorAttachment: 'platform' as const
		};
	}

	/** navigator.credentials.get() without allowCredentials: the authenticator picks its credential. */
	assert(options: RequestOptions, credential: SoftCredential | undefined = this.credentials[0]) {
		if (!credential) throw new Error('this authenticator holds no credential');
		credential.signCount += 1;
		return assertion(credential, this.clientData('webauthn.get', options.challenge));
	}
}

/** An assertion (AuthenticationResponseJSON) of `credential` over the given clientDataJSON. */
export function assertion(credential: SoftCredential, clientDataJSON: Buffer) {
	const authData = Buffer.concat([sha256(credential.rpId), Buffer.from([FLAG_UP | FLAG_UV]), u32(credential.signCount)]);
	const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey);
	return {
		id: b64u(credential.id),
		rawId: b64u(credential.id),
		type: 'public-key' as const,
		response: {
			clientDataJSON: b64u(clientDataJSON),
			authenticatorData: b64u(authData),
			signature: b64u(signature),
			userHandle: credential.userHandle
		},
		clientExtensionResults: {},
		authenticatorAttachment: 'platform' as const
	};
}
