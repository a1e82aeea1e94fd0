/**
 * The product's logger (createLogger, as create-app.ts makes it) keeps secrets out of its lines: each
 * secret field is censored at the top level and one level down, and what is not a secret still comes out.
 */
import { describe, it, expect } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger } from './logger';

function capture(level: Parameters<typeof createLogger>[0] = 'info') {
	const lines: string[] = [];
	const stream = new Writable({
		write(chunk, _enc, done) {
			lines.push(String(chunk));
			done();
		}
	});
	return { log: createLogger(level, stream), lines };
}

const SECRET_FIELDS = ['token', 'code', 'authorization', 'cookie', 'secret', 'password', 'privateKey', 'masterKey', 'link', 'setupLink'];

describe('log redaction (no secrets in logs)', () => {
	it('censors every secret field at the top level and one level down, and keeps the rest', () => {
		const { log, lines } = capture();
		const top = Object.fromEntries(SECRET_FIELDS.map((f) => [f, `TOP-${f}-VALUE`]));
		const nested = Object.fromEntries(SECRET_FIELDS.map((f) => [f, `NESTED-${f}-VALUE`]));
		log.info({ ...top, req: nested, headers: { authorization: 'Bearer HDR-T', cookie: 'sid=HDR-C' }, errorCode: 'device_auth_failed' }, 'hello');
		expect(lines).toHaveLength(1);
		const out = lines[0]!;
		for (const f of SECRET_FIELDS) {
			expect(out, f).not.toContain(`TOP-${f}-VALUE`);
			expect(out, `req.${f}`).not.toContain(`NESTED-${f}-VALUE`);
		}
		expect(out).not.toContain('HDR-T');
		expect(out).not.toContain('HDR-C');
		const line = JSON.parse(out) as Record<string, unknown> & { req: Record<string, unknown> };
		for (const f of SECRET_FIELDS) {
			expect(line[f], f).toBe('[redacted]');
			expect(line.req[f], `req.${f}`).toBe('[redacted]');
		}
		// Not a secret: logged as it is, with the product's base fields.
		expect(line).toMatchObject({ app: 'scomo-relay', msg: 'hello', errorCode: 'device_auth_failed' });
	});

	it('censors a password and a master key inside a request body', () => {
		const { log, lines } = capture();
		log.warn({ body: { password: 'hunter2', masterKey: 'MK-BYTES' } }, 'refused');
		expect(lines.join('')).not.toContain('hunter2');
		expect(lines.join('')).not.toContain('MK-BYTES');
	});

	it('honours the configured level', () => {
		const { log, lines } = capture('warn');
		log.info({ token: 'x' }, 'quiet');
		log.warn('loud');
		expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['loud']);
	});
});
