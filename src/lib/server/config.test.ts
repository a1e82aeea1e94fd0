import { describe, it, expect } from 'vitest';
import { parseConfig, ConfigError } from './config';

describe('parseConfig', () => {
	it('gives working defaults for an empty environment', () => {
		const c = parseConfig({}, '/srv/app');
		expect(c).toMatchObject({
			port: 3000,
			host: 'localhost',
			origin: 'http://localhost:3000',
			dataDir: '/srv/app/data',
			databaseUrl: 'sqlite:/srv/app/data/scomo.db',
			logLevel: 'info'
		});
	});

	it('accepts PORT and ORIGIN as fallbacks, SCOMO_ names win', () => {
		expect(parseConfig({ PORT: '8080' }).port).toBe(8080);
		expect(parseConfig({ PORT: '8080', SCOMO_PORT: '9090' }).port).toBe(9090);
		expect(parseConfig({ ORIGIN: 'https://relay.example.com' }).origin).toBe('https://relay.example.com');
	});

	it('lists every problem at once', () => {
		try {
			parseConfig({ SCOMO_PORT: '70000', SCOMO_LOG_LEVEL: 'loud', SCOMO_COLOUR: 'blue' });
			expect.unreachable('should have thrown');
		} catch (e) {
			expect(e).toBeInstanceOf(ConfigError);
			const problems = (e as ConfigError).problems;
			expect(problems).toHaveLength(3);
			expect(problems.join('\n')).toMatch(/unknown setting SCOMO_COLOUR/);
			expect(problems.join('\n')).toMatch(/SCOMO_PORT must be at most 65535/);
			expect(problems.join('\n')).toMatch(/SCOMO_LOG_LEVEL must be one of/);
		}
	});

	it('refuses an origin with a path and a database URL of another kind', () => {
		expect(() => parseConfig({ SCOMO_ORIGIN: 'http://localhost:3000/app' })).toThrow(/no path/);
		expect(() => parseConfig({ SCOMO_DATABASE_URL: 'mysql://x' })).toThrow(/sqlite: or postgres/);
	});
});
