import { describe, expect, it } from 'vitest';
import { checkManifestText } from './manifest-check';

const good = { id: 'com.example.clock', name: 'Clock', version: '1.0.0', compatibleBaselines: ['*'], entry: 'main.js' };

describe('checkManifestText', () => {
	it('a PNG chosen as manifest: says what it is and what to choose, never the parser text', () => {
		const png = '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR\uFFFD';
		const r = checkManifestText(png);
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect(r.error).toMatch(/not a text file.*manifest\.json/);
			expect(r.error).not.toMatch(/Unexpected token|PNG/);
		}
	});
	it('broken JSON: how to fix it', () => {
		const r = checkManifestText('{"id": "x",');
		expect(r.ok || r.error).toMatch(/not valid JSON text/);
	});
	it('a missing field: names it and gives an example', () => {
		const { version: _v, ...rest } = good;
		const r = checkManifestText(JSON.stringify(rest));
		expect(r.ok || r.error).toBe('The manifest’s “version” is missing; add it, for example "version": "1.0.0".');
	});
	it('accepts a valid manifest', () => {
		expect(checkManifestText(JSON.stringify(good)).ok).toBe(true);
	});
});
