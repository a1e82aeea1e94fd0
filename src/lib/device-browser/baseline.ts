/**
 * The PWA's baseline build ID (SCOMO-HLFR-9): the app's build version and the browser's platform at the FIRST
 * enrollment. It is stored in the identity and never recomputed: a later app update or another MA's
 * enrollment keeps it (enroll.ts reuses the stored device info; the server keeps the first one too).
 */

/** Printable ASCII without spaces, at most 128 characters (contract BaselineId). */
export function pwaBaseline(buildVersion: string, platform: string): string {
	const clean = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'unknown';
	return `scomo-pwa-${clean(buildVersion)}-${clean(platform)}`.slice(0, 128);
}

type UaData = { platform?: string; brands?: { brand: string; version: string }[] };

export function browserPlatform(nav: Navigator = navigator): string {
	const ua = (nav as Navigator & { userAgentData?: UaData }).userAgentData;
	return ua?.platform || nav.platform || 'web';
}

/** The browser's name for the device info ("Chromium", "Google Chrome"); not part of the baseline. */
export function browserName(nav: Navigator = navigator): string {
	const ua = (nav as Navigator & { userAgentData?: UaData }).userAgentData;
	const brand = ua?.brands?.find((b) => !/not.a.brand/i.test(b.brand));
	if (brand) return brand.brand;
	const m = /(Firefox|Edg|Chrome|Safari)\/[\d.]+/.exec(nav.userAgent);
	return m ? m[1]!.replace('Edg', 'Edge') : 'Web browser';
}
