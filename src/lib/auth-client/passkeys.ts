/**
 * Browser side of the passkey ceremonies: fetch options from /auth/*, run the authenticator with
 * @simplewebauthn/browser, send the result back. Errors come back as sentences for people.
 */
import {
	browserSupportsWebAuthn,
	browserSupportsWebAuthnAutofill,
	startAuthentication,
	startRegistration,
	WebAuthnAbortService
} from '@simplewebauthn/browser';

export type CeremonyResult = { ok: true; redirect: string } | { ok: false; message: string; cancelled?: boolean };

async function post(path: string, body: unknown): Promise<{ ok: boolean; data: Record<string, unknown> }> {
	const res = await fetch(path, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body ?? {})
	});
	let data: Record<string, unknown> = {};
	try {
		data = (await res.json()) as Record<string, unknown>;
	} catch {
		data = {};
	}
	return { ok: res.ok, data };
}

function serverMessage(data: Record<string, unknown>, fallback: string): string {
	const e = data.error as { message?: string } | undefined;
	return e?.message ?? fallback;
}

/** Words for what the authenticator said (NotAllowedError is both "cancelled" and "timed out"). */
function authenticatorMessage(e: unknown, during: 'register' | 'signin'): { message: string; cancelled: boolean } {
	const name = (e as { name?: string })?.name ?? '';
	if (name === 'NotAllowedError' || name === 'AbortError')
		return { message: 'The passkey prompt was closed or timed out. Nothing was changed; you can try again.', cancelled: true };
	if (name === 'InvalidStateError' && during === 'register')
		return { message: 'This device already holds a passkey for this account. Use another device or security key.', cancelled: false };
	if (name === 'SecurityError') return { message: 'Passkeys need this site to be opened at its proper address (https, or localhost).', cancelled: false };
	return { message: `The passkey could not be used: ${(e as Error)?.message ?? String(e)}`, cancelled: false };
}

export const passkeysSupported = () => browserSupportsWebAuthn();

/** Register a passkey: `body` says what for (setup, invite, add); see src/lib/server/auth/wire.ts. */
export async function registerPasskey(body: Record<string, unknown>, passkeyName: string): Promise<CeremonyResult> {
	if (!browserSupportsWebAuthn()) return { ok: false, message: 'This browser does not support passkeys.' };
	const opts = await post('/auth/register/options', body);
	if (!opts.ok) return { ok: false, message: serverMessage(opts.data, 'Could not start the passkey registration.') };
	let response;
	try {
		response = await startRegistration({ optionsJSON: opts.data as never });
	} catch (e) {
		return { ok: false, ...authenticatorMessage(e, 'register') };
	}
	const done = await post('/auth/register/verify', { response, passkeyName });
	if (!done.ok) return { ok: false, message: serverMessage(done.data, 'The passkey could not be saved.') };
	return { ok: true, redirect: String(done.data.redirect ?? '/admin') };
}

export type StepUp = { ok: true; response: unknown } | { ok: false; message: string; cancelled?: boolean };

/**
 * A fresh confirmation with one of my passkeys for an action a session cookie alone may not do (adding a
 * passkey, joining with an approving role, promoting a member): src/lib/server/auth/step-up.ts.
 */
export async function confirmWithPasskey(action: 'passkey.add' | 'invitation.accept' | 'member.promote'): Promise<StepUp> {
	if (!browserSupportsWebAuthn()) return { ok: false, message: 'This browser does not support passkeys.' };
	const opts = await post('/auth/step-up/options', { action });
	if (!opts.ok) return { ok: false, message: serverMessage(opts.data, 'Could not start the passkey confirmation.') };
	try {
		return { ok: true, response: await startAuthentication({ optionsJSON: opts.data as never }) };
	} catch (e) {
		return { ok: false, ...authenticatorMessage(e, 'signin') };
	}
}

/**
 * Sign in without a username. With `autofill`, the request waits quietly for the user to pick a passkey
 * from the browser's autofill (conditional UI) and resolves only then.
 */
export async function signInWithPasskey(next: string | null, autofill = false): Promise<CeremonyResult> {
	if (!browserSupportsWebAuthn()) return { ok: false, message: 'This browser does not support passkeys.' };
	const opts = await post('/auth/signin/options', {});
	if (!opts.ok) return { ok: false, message: serverMessage(opts.data, 'Could not start signing in.') };
	let response;
	try {
		response = await startAuthentication({ optionsJSON: opts.data as never, useBrowserAutofill: autofill });
	} catch (e) {
		return { ok: false, ...authenticatorMessage(e, 'signin') };
	}
	const q = next ? `?next=${encodeURIComponent(next)}` : '';
	const done = await post(`/auth/signin/verify${q}`, { response });
	if (!done.ok) return { ok: false, message: serverMessage(done.data, 'Signing in failed.') };
	return { ok: true, redirect: String(done.data.redirect ?? '/admin') };
}

export const autofillSupported = () => browserSupportsWebAuthnAutofill();

/** Stop a pending conditional (autofill) request, e.g. when the page goes away. */
export const cancelPendingCeremony = () => WebAuthnAbortService.cancelCeremony();
