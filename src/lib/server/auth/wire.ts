/**
 * Bodies of the /auth/* JSON endpoints (the admin pages' own calls, not the public REST contract).
 * The WebAuthn responses themselves are checked by @simplewebauthn/server; here only their outer shape.
 */
import * as v from 'valibot';
import { HumanText } from '../../contract/common';

const Token = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{20,100}$/, 'the link is malformed; open it again from the message you received'));
const Name = (what: string) =>
	v.pipe(v.string(), v.trim(), v.minLength(1, `${what} is required`), HumanText(80));
export const PasskeyName = v.pipe(v.string(), v.trim(), v.maxLength(60, 'a passkey name has at most 60 characters'), HumanText(60));

export const RegisterOptionsBody = v.variant('kind', [
	v.strictObject({ kind: v.literal('setup'), token: Token, maName: Name('The Management Authority name'), displayName: Name('Your name') }),
	v.strictObject({ kind: v.literal('invite'), token: Token, displayName: Name('Your name') }),
	// H2: a fresh assertion by one of the administrator's passkeys (auth/step-up.ts), not the cookie alone.
	v.strictObject({ kind: v.literal('add'), passkeyName: v.optional(PasskeyName, ''), stepUp: v.optional(v.lazy(() => AssertionJson)) })
]);
export type RegisterOptionsInput = v.InferOutput<typeof RegisterOptionsBody>;

/** The browser's credential as JSON: an object with a string id and a response object. */
const CredentialJson = v.looseObject({
	id: v.pipe(v.string(), v.maxLength(1024)),
	rawId: v.pipe(v.string(), v.maxLength(1024)),
	type: v.literal('public-key'),
	response: v.looseObject({ clientDataJSON: v.pipe(v.string(), v.maxLength(8192)) })
});

/** An assertion (AuthenticationResponseJSON) as the browser sends it; @simplewebauthn/server checks the rest. */
export const AssertionJson = v.looseObject({
	id: v.pipe(v.string(), v.maxLength(1024)),
	rawId: v.pipe(v.string(), v.maxLength(1024)),
	type: v.literal('public-key'),
	response: v.looseObject({
		clientDataJSON: v.pipe(v.string(), v.maxLength(8192)),
		authenticatorData: v.pipe(v.string(), v.maxLength(4096)),
		signature: v.pipe(v.string(), v.maxLength(1024))
	}),
	clientExtensionResults: v.optional(v.record(v.string(), v.unknown()), {})
});

export const RegisterVerifyBody = v.strictObject({
	response: CredentialJson,
	passkeyName: v.optional(PasskeyName, '')
});

export const SigninVerifyBody = v.strictObject({ response: CredentialJson });
