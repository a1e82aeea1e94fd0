/**
 * Structured logging with pino: JSON lines, one logger per process, children per concern.
 * Secrets never go into log fields; the redact list is the safety net for the ones that could slip in.
 */
import { pino, type Logger } from 'pino';
import type { Config } from './config';

export type { Logger };

export function createLogger(level: Config['logLevel']): Logger {
	return pino({
		level,
		base: { app: 'scomo-relay' },
		redact: {
			paths: ['token', '*.token', 'code', '*.code', 'authorization', '*.authorization', 'cookie', '*.cookie'],
			censor: '[redacted]'
		}
	});
}
