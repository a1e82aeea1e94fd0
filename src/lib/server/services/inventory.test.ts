import { describe, it, expect } from 'vitest';
import { serviceHarness } from './test-harness';

describe('inventory service (SCOMO-ADC-3)', () => {
	it('tags each entry with its owner and shows every MA only its own', () => {
		const h = serviceHarness();
		const a = h.maWithDevice('A');
		const b = h.services.mas.create('B', h.system);
		const bId = b.ok ? b.value.maId : '';
		h.enrollDevice(bId, 'base-1', a.keys, a.deviceId);
		h.upload(a.maId, 'com.a.app', '1.0.0');
		h.upload(bId, 'com.b.app', '1.0.0');
		h.services.inventory.report(a.deviceId, [
			{ stage: 'deployed', componentId: 'com.a.app', version: '1.0.0', state: 'Active', operational: 'Running' },
			{ stage: 'delivered', componentId: 'com.b.app', version: '1.0.0' },
			{ stage: 'delivered', componentId: 'org.nobody.app', version: '0.0.1' }
		]);
		expect(h.services.inventory.listForMa(a.deviceId, a.maId).map((i) => i.componentId)).toEqual(['com.a.app']);
		expect(h.services.inventory.listForMa(a.deviceId, bId).map((i) => i.componentId)).toEqual(['com.b.app']);
		// A new full report replaces everything.
		h.services.inventory.report(a.deviceId, []);
		expect(h.services.inventory.listForMa(a.deviceId, a.maId)).toEqual([]);
	});
});
