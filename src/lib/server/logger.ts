/**
 * Structured logging with pino: JSON lines, one logger per process, children per concern.
 * Secrets never go into log fields; the redact list is the safety net for the ones that could slip in.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config';

export type { Logger };

/**
 * Field names that may hold a secret wherever they appear (top level or one level down): tokens, one-time
 * codes and links that carry them, credentials, keys. `code` is among them, so error codes are logged as
 * `errorCode`.
 */
export const LOG_REDACT_PATHS = [
	'token',
	'*.token',
	'code',
	'*.code',
	'authorization',
	'*.authorization',
	'cookie',
	'*.cookie',
	'headers.authorization',
	'headers.cookie',
	'*.headers.authorization',
	'*.headers.cookie',
	'secret',
	'*.secret',
	'password',
	'*.password',
	'privateKey',
	'*.privateKey',
	'masterKey',
	'*.masterKey',
	'link',
	'*.link',
	'setupLink',
	'*.setupLink'
];

/** The process's logger; `destination` is stdout unless given (the redaction test captures the lines). */
export function createLogger(level: Config['logLevel'], destination?: DestinationStream): Logger {
	const options = {
		level,
		base: { app: 'scomo-relay' },
		redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' }
	};
	return destination ? pino(options, destination) : pino(options);
}
