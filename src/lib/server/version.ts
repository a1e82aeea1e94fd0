import { readFileSync } from 'node:fs';

/** The product version from package.json, read once. */
export const APP_VERSION: string = (() => {
	try {
		const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
		return String(pkg.version);
	} catch {
		return '0.0.0';
	}
})();
