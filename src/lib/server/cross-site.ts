/**
 * Cross-site request refusal for everything the session cookie authenticates (issue #13, M2 and M3).
 *
 * Browsers attach the session cookie to requests other sites make (SameSite=Lax still sends it from
 * same-site pages, e.g. another port or subdomain, and to top-level POST navigations in some browsers),
 * and SvelteKit checks Origin only for form content types. So a state-changing request, or a socket.io
 * handshake, that carries the session cookie is served only when the browser says it comes from this
 * origin: `Origin` equal to the app's origin, or, where a browser sends no Origin (same-origin GETs such as
 * socket.io polling), `Sec-Fetch-Site: same-origin`. Requests without the cookie (API tokens, devices, the
 * agent) are not concerned: there is no ambient credential to abuse.
 */
import { ERROR_CODES } from '../contract/errors';
import { SESSION_COOKIE } from './auth/sessions';

/** Reads one header (lower-case name) from a fetch Request or from Node's IncomingHttpHeaders. */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(h: HeaderSource, name: string): string | null {
	if (h instanceof Headers) return h.get(name);
	const v = h[name];
	return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}

/** Safe methods never change state (SvelteKit routes here keep to that); everything else is checked. */
export const isStateChanging = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());

/** Does the request carry the administrator session cookie (whatever its value)? */
export function carriesSessionCookie(h: HeaderSource): boolean {
	const cookie = header(h, 'cookie');
	if (!cookie) return false;
	return cookie.split(';').some((part) => part.trim().startsWith(`${SESSION_COOKIE}=`));
}

/** The browser's own statement that the request comes from `appOrigin`; absent or anything else is "no". */
export function saysSameOrigin(h: HeaderSource, appOrigin: string): boolean {
	const origin = header(h, 'origin');
	if (origin !== null) return origin === new URL(appOrigin).origin;
	return header(h, 'sec-fetch-site') === 'same-origin';
}

/** The 403 answer for a refused request, in the API's error shape. */
export function crossSiteRefusal(): Response {
	return new Response(
		JSON.stringify({
			error: {
				code: 'cross_site_request',
				message: 'A request made with the administrator session must come from this site (Origin or Sec-Fetch-Site).'
			}
		}),
		{
			status: ERROR_CODES.cross_site_request.status,
			headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }
		}
	);
}

/**
 * For the request hook: a Response refusing the request, or null to go on. A request with an
 * Authorization header is authenticated by that alone (the hook ignores the cookie then), and no other
 * site can make a browser add one without a CORS preflight this server never grants.
 */
export function refuseCrossSiteCookieRequest(request: Request, appOrigin: string): Response | null {
	if (!isStateChanging(request.method) || request.headers.has('authorization')) return null;
	if (!carriesSessionCookie(request.headers)) return null;
	return saysSameOrigin(request.headers, appOrigin) ? null : crossSiteRefusal();
}

/** For socket.io's allowRequest: a handshake with the session cookie must come from this origin. */
export function allowSocketHandshake(h: HeaderSource, appOrigin: string): boolean {
	return !carriesSessionCookie(h) || saysSameOrigin(h, appOrigin);
}
