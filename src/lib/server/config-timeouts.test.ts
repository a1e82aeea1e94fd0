import { describe, it, expect } from 'vitest';
import { parseConfig, ConfigError } from './config';

describe('device protocol timeouts in the configuration', () => {
	it('default to 30 s for authentication and 15 s for command acks', () => {
		expect(parseConfig({})).toMatchObject({ deviceAuthTimeoutMs: 30_000, commandAckTimeoutMs: 15_000 });
	});

	it('are set in whole seconds', () => {
		const c = parseConfig({ SCOMO_DEVICE_AUTH_TIMEOUT_SECONDS: '2', SCOMO_COMMAND_ACK_TIMEOUT_SECONDS: '3' });
		expect(c).toMatchObject({ deviceAuthTimeoutMs: 2000, commandAckTimeoutMs: 3000 });
	});

	it('refuse zero, fractions and words, naming the setting', () => {
		for (const bad of ['0', '1.5', 'soon']) {
			expect(() => parseConfig({ SCOMO_DEVICE_AUTH_TIMEOUT_SECONDS: bad })).toThrow(ConfigError);
			expect(() => parseConfig({ SCOMO_COMMAND_ACK_TIMEOUT_SECONDS: bad })).toThrow(/SCOMO_COMMAND_ACK_TIMEOUT_SECONDS/);
		}
	});
});
