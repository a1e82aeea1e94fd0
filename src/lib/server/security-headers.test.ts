import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import config from '../../../svelte.config.js';
import { frameHtml } from '../device-browser/sandbox-harness';
import { BASELINE_CSP, securityHeaders, withSecurityHeaders } from './security-headers';

type Csp = { mode: string; directives: Record<string, string[]> };
const csp = (config as { kit: { csp: Csp } }).kit.csp;

describe('Content-Security-Policy (svelte.config.js kit.csp)', () => {
	it('allows the component sandbox: its inline script by hash, blob: workers and importScripts', () => {
		// The sandbox is a srcdoc iframe, which inherits the page's policy: when its script changes, update the hash.
		for (const network of ["'none'", 'https: wss:']) {
			const script = /<script>([\s\S]*?)<\/script>/.exec(frameHtml(network))![1]!;
			const hash = `sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}`;
			expect(csp.directives['script-src'], 'update the sandbox hash in svelte.config.js').toContain(hash);
		}
		expect(csp.directives['worker-src']).toEqual(expect.arrayContaining(['self', 'blob:']));
		expect(csp.directives['script-src']).toContain('blob:');
	});

	it('is strict where it matters: no inline or eval scripts, no plugins, no framing, forms to self only', () => {
		expect(csp.mode).toBe('auto');
		expect(csp.directives['script-src']).not.toContain('unsafe-inline');
		expect(csp.directives['script-src']).not.toContain('unsafe-eval');
		expect(csp.directives['object-src']).toEqual(['none']);
		expect(csp.directives['frame-ancestors']).toEqual(['none']);
		expect(csp.directives['form-action']).toEqual(['self']);
		expect(csp.directives['base-uri']).toEqual(['self']);
		expect(config.kit?.csrf).not.toMatchObject({ checkOrigin: false });
	});
});

describe('security headers', () => {
	it('are set on a response that lacks them and leave the ones it has', () => {
		const r = withSecurityHeaders(new Response('x', { headers: { 'referrer-policy': 'no-referrer' } }), 'http://localhost:3000');
		expect(r.headers.get('x-content-type-options')).toBe('nosniff');
		expect(r.headers.get('referrer-policy')).toBe('no-referrer');
		expect(r.headers.get('x-frame-options')).toBe('DENY');
		expect(r.headers.get('strict-transport-security')).toBeNull();
	});

	it('add HSTS only for an https origin, and the baseline CSP forbids framing', () => {
		expect(securityHeaders('https://relay.example')['strict-transport-security']).toMatch(/max-age=\d+/);
		expect(BASELINE_CSP).toContain("frame-ancestors 'none'");
	});

	it('never throw on an immutable response', () => {
		const r = Response.redirect('http://localhost/x', 302);
		expect(() => withSecurityHeaders(r, 'http://localhost')).not.toThrow();
	});
});
