import { describe, it, expect } from 'vitest';
import { narrowCsp, withConsoleCsp } from './console-csp';

const kitPolicy =
	"default-src 'self'; script-src 'self' blob: 'sha256-abc' 'nonce-xyz'; worker-src 'self' blob:; img-src 'self' data: blob:; connect-src 'self' https: wss:; frame-ancestors 'none'";

describe('console CSP', () => {
	it('drops blob: scripts and workers and any-https/wss connect; keeps the rest as it was', () => {
		const narrowed = narrowCsp(kitPolicy);
		expect(narrowed).toBe(
			"default-src 'self'; script-src 'self' 'sha256-abc' 'nonce-xyz'; worker-src 'self'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'"
		);
	});

	it('applies outside the device app only', () => {
		const res = (p: string) => withConsoleCsp(new Response('x', { headers: { 'content-security-policy': kitPolicy } }), p);
		expect(res('/admin').headers.get('content-security-policy')).not.toContain('blob: ');
		expect(res('/admin/signin').headers.get('content-security-policy')).not.toContain('https:');
		expect(res('/device').headers.get('content-security-policy')).toBe(kitPolicy);
		expect(res('/device/enroll').headers.get('content-security-policy')).toBe(kitPolicy);
		expect(res('/devices-not-the-app').headers.get('content-security-policy')).not.toContain('wss:');
	});
});
