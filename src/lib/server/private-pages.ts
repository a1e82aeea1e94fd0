/**
 * Pages that show an administrator's MA, or carry a one-time link, are never stored by the browser's or a
 * proxy's cache (issue #13): after sign-out, the back button or a shared computer must not show them
 * again, and nothing in between may keep a copy. `no-store` replaces whatever SvelteKit set.
 */
const PRIVATE_PREFIXES = ['/admin', '/setup', '/invite', '/auth'];

export const isPrivatePath = (pathname: string) =>
	PRIVATE_PREFIXES.some((p) => pathname === p || pathname.startsWith(`${p}/`));

export function withPrivateCaching(response: Response, pathname: string): Response {
	if (!isPrivatePath(pathname)) return response;
	try {
		response.headers.set('cache-control', 'no-store');
	} catch {
		// An immutable Response (e.g. a proxied fetch): left as it is.
	}
	return response;
}
