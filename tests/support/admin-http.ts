/**
 * Administrators over plain HTTP for integration tests: the same /auth/* calls the pages make, with the
 * software authenticator (real ES256 passkeys) and a tiny cookie jar. Lets REST/socket tests get an
 * administrator's session cookie without a browser.
 */
import { SoftAuthenticator } from './soft-authenticator';

export type Jar = Map<string, string>;

export function cookieHeader(jar: Jar): string {
	return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** Keep the cookies a response sets (a deletion, Max-Age=0 or an empty value, removes it). */
export function storeCookies(jar: Jar, res: Response): string[] {
	const raw = res.headers.getSetCookie();
	for (const c of raw) {
		const [pair] = c.split(';');
		const i = pair!.indexOf('=');
		const name = pair!.slice(0, i).trim();
		const value = pair!.slice(i + 1).trim();
		if (value === '' || /max-age=0/i.test(c) || /expires=thu, 01 jan 1970/i.test(c)) jar.delete(name);
		else jar.set(name, value);
	}
	return raw;
}

export async function postJson(base: string, path: string, body: unknown, jar?: Jar): Promise<Response> {
	const res = await fetch(`${base}${path}`, {
		method: 'POST',
		// A browser's fetch from the app's own pages says where it comes from (cross-site requests are refused).
		headers: { 'content-type': 'application/json', origin: base, ...(jar ? { cookie: cookieHeader(jar) } : {}) },
		body: JSON.stringify(body),
		redirect: 'manual'
	});
	if (jar) storeCookies(jar, res);
	return res;
}

/** A form POST as a browser without JavaScript sends it (same-origin, so SvelteKit's CSRF check passes). */
export async function postForm(base: string, path: string, form: Record<string, string>, jar: Jar): Promise<Response> {
	const res = await fetch(`${base}${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base, accept: 'text/html', cookie: cookieHeader(jar) },
		body: new URLSearchParams(form).toString(),
		redirect: 'manual'
	});
	storeCookies(jar, res);
	return res;
}

export async function getWithJar(base: string, path: string, jar: Jar): Promise<Response> {
	const res = await fetch(`${base}${path}`, { headers: { cookie: cookieHeader(jar) }, redirect: 'manual' });
	storeCookies(jar, res);
	return res;
}

/** Register a passkey for setup / invite / add; returns the verify response (cookies land in the jar). */
export async function registerOverHttp(
	base: string,
	body: Record<string, unknown>,
	auth: SoftAuthenticator,
	jar: Jar = new Map()
): Promise<Response> {
	const opts = await postJson(base, '/auth/register/options', body, jar);
	if (!opts.ok) throw new Error(`register options: ${opts.status} ${await opts.text()}`);
	const response = auth.register((await opts.json()) as never);
	return postJson(base, '/auth/register/verify', { response, passkeyName: 'test key' }, jar);
}

/** Username-less sign-in; returns the verify response (the new session cookie lands in the jar). */
export async function signInOverHttp(base: string, auth: SoftAuthenticator, jar: Jar = new Map()): Promise<Response> {
	const opts = await postJson(base, '/auth/signin/options', {}, jar);
	if (!opts.ok) throw new Error(`signin options: ${opts.status} ${await opts.text()}`);
	const response = auth.assert((await opts.json()) as never);
	return postJson(base, '/auth/signin/verify', { response }, jar);
}

/**
 * A new MA with its owner signed in, from a setup token path (`/setup?token=...`, as printed by the
 * server or scripts/setup-link.ts). Returns the owner's cookie jar and authenticator.
 */
export async function ownerFromSetupLink(base: string, setupPath: string, maName = 'Test MA') {
	const token = new URL(setupPath, base).searchParams.get('token')!;
	const auth = new SoftAuthenticator(base);
	const jar: Jar = new Map();
	const res = await registerOverHttp(base, { kind: 'setup', token, maName, displayName: 'Owner' }, auth, jar);
	if (!res.ok) throw new Error(`setup: ${res.status} ${await res.text()}`);
	return { auth, jar };
}
