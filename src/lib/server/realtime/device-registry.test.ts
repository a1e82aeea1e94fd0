import { describe, it, expect } from 'vitest';
import { DeviceRegistry } from './device-registry';

describe('DeviceRegistry', () => {
	it('keeps a device online until its last socket leaves', () => {
		const r = new DeviceRegistry();
		r.add('d1', 's1');
		r.add('d1', 's2');
		expect(r.isOnline('d1')).toBe(true);
		expect(r.remove('d1', 's1')).toBe(false);
		expect(r.isOnline('d1')).toBe(true);
		expect(r.remove('d1', 's2')).toBe(true);
		expect(r.isOnline('d1')).toBe(false);
		expect(r.remove('d1', 's2')).toBe(false);
		expect(r.onlineCount).toBe(0);
	});
});
