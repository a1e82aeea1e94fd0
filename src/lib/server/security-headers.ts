/**
 * Security headers of every HTTP response (SCOMO-SEC hardening, docs/security.md). The Content-Security-Policy
 * of pages is SvelteKit's (kit.csp in svelte.config.js: nonces for rendered pages, hashes for the prerendered
 * device shell); these are the rest, set twice on purpose:
 * - by the HTTP server (start.ts) on EVERY response, including static files and prerendered pages, which
 *   adapter-node serves without running hooks; there a header CSP with frame-ancestors (meta-tag CSPs cannot
 *   carry it) keeps the device shell out of other sites' frames;
 * - by hooks.server.ts on rendered responses (also under `vite dev`), where SvelteKit's own CSP header wins.
 */

/** Headers for every response. */
export function securityHeaders(origin: string): Record<string, string> {
	return {
		// Never sniff a bundle or JSON into something executable.
		'x-content-type-options': 'nosniff',
		// Enrollment and invitation links carry one-time codes in the URL: never send them to another site.
		// Not 'no-referrer': browsers then send `Origin: null` on form POSTs, which SvelteKit's CSRF check refuses.
		'referrer-policy': 'same-origin',
		// No page of the product needs these; a component (sandboxed, in a worker) cannot ask for them either.
		'permissions-policy':
			'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), browsing-topics=()',
		// No other window keeps a handle to ours (cross-window attacks, Spectre-class leaks).
		'cross-origin-opener-policy': 'same-origin',
		'cross-origin-resource-policy': 'same-origin',
		// Legacy twin of frame-ancestors 'none' (clickjacking of consent prompts and admin actions).
		'x-frame-options': 'DENY',
		...(origin.startsWith('https:') ? { 'strict-transport-security': 'max-age=31536000' } : {})
	};
}

/** The CSP header for responses SvelteKit did not render (static files, the prerendered shell). */
export const BASELINE_CSP = "frame-ancestors 'none'; object-src 'none'; base-uri 'self'";

/** Adds the headers a response does not set itself; never throws (some responses have immutable headers). */
export function withSecurityHeaders(response: Response, origin: string): Response {
	try {
		for (const [k, v] of Object.entries(securityHeaders(origin))) if (!response.headers.has(k)) response.headers.set(k, v);
	} catch {
		// An immutable Response (e.g. a proxied fetch): left as it is.
	}
	return response;
}
