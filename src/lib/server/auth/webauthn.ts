/**
 * Passkeys with @simplewebauthn/server: discoverable credentials (resident key required) and user
 * verification required, so a passkey alone both names and authenticates the administrator (sign-in
 * without a username). The relying party is the public origin: RP ID = its host name.
 */
import {
	generateAuthenticationOptions,
	generateRegistrationOptions,
	verifyAuthenticationResponse,
	verifyRegistrationResponse,
	type AuthenticationResponseJSON,
	type PublicKeyCredentialCreationOptionsJSON,
	type PublicKeyCredentialRequestOptionsJSON,
	type RegistrationResponseJSON
} from '@simplewebauthn/server';

export const RP_NAME = 'SCOMO Relay';
/** Client-side timeout of a ceremony; the server-side challenge lives as long (CHALLENGE_TTL_MS). */
const CEREMONY_TIMEOUT_MS = 5 * 60 * 1000;
/** ES256 and EdDSA first, RS256 for Windows Hello. */
const ALGORITHMS = [-7, -8, -257];

export type RelyingParty = { rpID: string; origin: string };

export function relyingParty(origin: string): RelyingParty {
	return { rpID: new URL(origin).hostname, origin };
}

export type StoredPasskey = { id: string; publicKey: string; counter: number; transports: string[] };

export function registrationOptions(
	rp: RelyingParty,
	user: { userHandle: string; name: string; displayName: string },
	exclude: { id: string; transports: string[] }[]
): Promise<PublicKeyCredentialCreationOptionsJSON> {
	return generateRegistrationOptions({
		rpName: RP_NAME,
		rpID: rp.rpID,
		userID: Buffer.from(user.userHandle, 'base64url'),
		userName: user.name,
		userDisplayName: user.displayName,
		timeout: CEREMONY_TIMEOUT_MS,
		attestationType: 'none',
		excludeCredentials: exclude.map((c) => ({ id: c.id, transports: c.transports as never })),
		authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
		supportedAlgorithmIDs: ALGORITHMS
	});
}

export type NewPasskey = {
	id: string;
	publicKey: string;
	counter: number;
	transports: string[];
	deviceType: string;
	backedUp: boolean;
};

/** Verify a registration against the challenge we issued; null when it does not verify. */
export async function verifyRegistration(
	rp: RelyingParty,
	response: RegistrationResponseJSON,
	expectedChallenge: string
): Promise<NewPasskey | null> {
	try {
		const r = await verifyRegistrationResponse({
			response,
			expectedChallenge,
			expectedOrigin: rp.origin,
			expectedRPID: rp.rpID,
			requireUserVerification: true,
			supportedAlgorithmIDs: ALGORITHMS
		});
		if (!r.verified) return null;
		const { credential, credentialDeviceType, credentialBackedUp } = r.registrationInfo;
		return {
			id: credential.id,
			publicKey: Buffer.from(credential.publicKey).toString('base64url'),
			counter: credential.counter,
			transports: credential.transports ?? response.response.transports ?? [],
			deviceType: credentialDeviceType,
			backedUp: credentialBackedUp
		};
	} catch {
		return null;
	}
}

/** Options for a username-less sign-in: no allowCredentials, so the authenticator offers its passkeys. */
export function authenticationOptions(rp: RelyingParty): Promise<PublicKeyCredentialRequestOptionsJSON> {
	return generateAuthenticationOptions({ rpID: rp.rpID, userVerification: 'required', timeout: CEREMONY_TIMEOUT_MS });
}

/** Verify an assertion with the stored passkey; the new signature counter, or null when it does not verify. */
export async function verifyAuthentication(
	rp: RelyingParty,
	response: AuthenticationResponseJSON,
	expectedChallenge: string,
	passkey: StoredPasskey
): Promise<{ newCounter: number } | null> {
	try {
		const r = await verifyAuthenticationResponse({
			response,
			expectedChallenge,
			expectedOrigin: rp.origin,
			expectedRPID: rp.rpID,
			requireUserVerification: true,
			credential: {
				id: passkey.id,
				publicKey: Buffer.from(passkey.publicKey, 'base64url'),
				counter: passkey.counter,
				transports: passkey.transports as never
			}
		});
		return r.verified ? { newCounter: r.authenticationInfo.newCounter } : null;
	} catch {
		return null;
	}
}
