import { describe, expect, it } from 'vitest';
import { DEVICE_EVENTS, DEVICE_TO_SERVER_SCHEMAS } from './device-protocol';

// The typed schema table (what the server validates against) must be the same list as the protocol's
// device→server events (what the documentation and the fuzz test go by): one may not gain an event alone.
describe('DEVICE_TO_SERVER_SCHEMAS', () => {
	it('holds exactly the device→server events of DEVICE_EVENTS, with the same schemas', () => {
		const fromDevice = Object.entries(DEVICE_EVENTS).filter(([, e]) => e.from === 'device');
		expect(Object.keys(DEVICE_TO_SERVER_SCHEMAS).sort()).toEqual(fromDevice.map(([name]) => name).sort());
		for (const [name, e] of fromDevice) expect(DEVICE_TO_SERVER_SCHEMAS[name as keyof typeof DEVICE_TO_SERVER_SCHEMAS]).toBe(e.schema);
	});
});
