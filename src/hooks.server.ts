/**
 * Every request learns who is asking before any route runs (SCOMO-SEC-02):
 * - an administrator, from the session cookie (passkey sign-in), acting within their current MA;
 * - an MA API token, from `Authorization: Bearer` (src/lib/server/auth/api-tokens.ts);
 * - or nobody. Routes then ask the one policy (src/lib/core/policy.ts) through the server's authz entry.
 * The authentication endpoints are rate limited here (429).
 */
import type { Handle } from '@sveltejs/kit';
import { building } from '$app/environment';
import { appOfRequest } from '$lib/server/app-request';
import { resolveAdminSession } from '$lib/server/auth/resolve';
import { resolveBearer } from '$lib/server/auth/api-tokens';
import { ERROR_CODES } from '$lib/contract/errors';
import { withSecurityHeaders } from '$lib/server/security-headers';
import { inApiErrorShape } from '$lib/server/api-error-shape';
import { refuseCrossSiteCookieRequest } from '$lib/server/cross-site';
import { withPrivateCaching } from '$lib/server/private-pages';
import { withConsoleCsp } from '$lib/server/console-csp';

/** POSTs that run passkey ceremonies or redeem links: what an attacker would hammer. */
const isAuthAttempt = (method: string, path: string) =>
	method === 'POST' &&
	(path.startsWith('/auth/') || path === '/setup' || path.startsWith('/invite/') || path === '/admin/signin');

/**
 * Security headers on every rendered response (src/lib/server/security-headers.ts; CSP is kit.csp's), private
 * pages uncached (private-pages.ts), the console's CSP without the device sandbox's sources (console-csp.ts), and
 * every /api error in the JSON shape (src/lib/server/api-error-shape.ts).
 */
export const handle: Handle = async (input) => {
	const { origin, pathname } = input.event.url;
	const response = await inApiErrorShape(pathname, await handleRequest(input));
	return withConsoleCsp(withPrivateCaching(withSecurityHeaders(response, origin), pathname), pathname);
};

const handleRequest: Handle = async ({ event, resolve }) => {
	event.locals.actor = null;
	event.locals.maId = null;
	event.locals.session = null;
	// Prerendering (the device PWA shell) runs at build time with no server context and no visitor.
	if (building) return resolve(event);
	// Every route reads the server's app from here (src/lib/server/app-request.ts).
	const ctx = appOfRequest(event.platform);
	event.locals.app = ctx;

	// Cookie-authenticated state changes only from this site (src/lib/server/cross-site.ts).
	const crossSite = refuseCrossSiteCookieRequest(event.request, event.url.origin);
	if (crossSite) return crossSite;

	const { pathname } = event.url;
	if (isAuthAttempt(event.request.method, pathname)) {
		const wait = ctx.limits.auth.take(event.getClientAddress(), ctx.clock());
		if (wait > 0) {
			return new Response(
				JSON.stringify({ error: { code: 'rate_limited', message: `Too many sign-in attempts; try again in ${wait} s.` } }),
				{
					status: ERROR_CODES.rate_limited.status,
					headers: { 'content-type': 'application/json', 'retry-after': String(wait) }
				}
			);
		}
	}

	const now = ctx.clock();
	const authorization = event.request.headers.get('authorization');
	if (authorization !== null) {
		// An explicit credential wins and is never mixed with a cookie: a bad token is simply nobody.
		const token = resolveBearer(ctx.store.db, authorization, now);
		if (token) {
			event.locals.actor = token.actor;
			event.locals.maId = token.maId;
		}
	} else {
		const admin = resolveAdminSession(ctx.store.db, event.cookies, now);
		if (admin) {
			event.locals.actor = admin.actor;
			event.locals.maId = admin.maId;
			event.locals.session = admin.session;
		}
	}
	return resolve(event);
};
