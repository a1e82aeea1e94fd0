import { describe, it, expect } from 'vitest';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { LOG_REDACT_PATHS } from './logger';

function capture() {
	const lines: string[] = [];
	const stream = new Writable({
		write(chunk, _enc, done) {
			lines.push(String(chunk));
			done();
		}
	});
	return { log: pino({ redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } }, stream), lines };
}

describe('log redaction (no secrets in logs)', () => {
	it('censors tokens, codes, links, credentials and keys at the top level and one level down', () => {
		const { log, lines } = capture();
		log.info(
			{
				token: 'T1',
				code: 'C1',
				link: 'http://x/device/enroll?code=C2',
				authorization: 'Bearer T2',
				headers: { authorization: 'Bearer T3', cookie: 'sid=S1' },
				req: { token: 'T4', code: 'C3', privateKey: 'K1' },
				secret: 'S2',
				errorCode: 'device_auth_failed'
			},
			'hello'
		);
		const out = lines.join('');
		for (const s of ['T1', 'T2', 'T3', 'T4', 'C1', 'C2', 'C3', 'S1', 'S2', 'K1']) expect(out).not.toContain(s);
		expect(out).toContain('device_auth_failed');
	});
});
