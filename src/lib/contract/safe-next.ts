/**
 * Where to go after signing in (`?next=`): only a path of this app, never another site (no open redirect).
 * One function for the server (the sign-in page's redirect, the verify endpoint's answer, the MA switcher)
 * and the browser (the sign-in page's `location.assign`), so both decide the same way.
 *
 * The value is resolved as a URL against the app's own origin and accepted only when it stays on that
 * origin. Browsers drop tab and newline inside URLs and read `\` as `/`, so `/\t/evil.example` and
 * `/\evil.example` are `//evil.example` to them: such characters are refused outright, before parsing.
 */
const UNSAFE = /[\u0000-\u001f\u007f\\]/;

export function safeNext(next: string | null | undefined, appOrigin: string, fallback = '/admin'): string {
	if (!next || UNSAFE.test(next) || !next.startsWith('/') || next.startsWith('//')) return fallback;
	let base: URL;
	let url: URL;
	try {
		base = new URL(appOrigin);
		url = new URL(next, base);
	} catch {
		return fallback;
	}
	if (url.origin !== base.origin) return fallback;
	// The normalised form: what the browser would request, with nothing it could read differently.
	return url.pathname + url.search + url.hash;
}
