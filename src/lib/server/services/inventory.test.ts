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

	it("files two MAs' components of the same ID apart, by the owner each entry names", () => {
		const h = serviceHarness();
		const a = h.maWithDevice('A');
		const b = h.services.mas.create('B', h.system);
		const bId = b.ok ? b.value.maId : '';
		h.enrollDevice(bId, 'base-1', a.keys, a.deviceId);
		expect(h.upload(a.maId, 'com.example.x', '1.0.0').componentId).toBe('com.example.x');
		// No 409 and no hint that A already uses the ID: B's upload is just an upload.
		expect(h.upload(bId, 'com.example.x', '2.0.0').componentId).toBe('com.example.x');
		h.services.inventory.report(a.deviceId, [
			{ stage: 'deployed', componentId: 'com.example.x', version: '1.0.0', state: 'Active', operational: 'Running', maId: a.maId },
			{ stage: 'delivered', componentId: 'com.example.x', version: '2.0.0', maId: bId }
		]);
		expect(h.services.inventory.listForMa(a.deviceId, a.maId)).toEqual([expect.objectContaining({ componentId: 'com.example.x', version: '1.0.0', stage: 'deployed' })]);
		expect(h.services.inventory.listForMa(a.deviceId, bId)).toEqual([expect.objectContaining({ componentId: 'com.example.x', version: '2.0.0', stage: 'delivered' })]);
		// A state change names its owner: only that MA's entry changes.
		h.services.inventory.componentState(a.deviceId, { maId: a.maId, componentId: 'com.example.x', operational: 'Failed', message: '' });
		expect(h.services.inventory.listForMa(a.deviceId, a.maId)[0]).toMatchObject({ operational: 'Failed' });
		// An entry without an owner (an older device) is left out when two of its MAs use the ID: filing it
		// under the wrong one would show an MA another's component.
		h.services.inventory.report(a.deviceId, [{ stage: 'delivered', componentId: 'com.example.x', version: '2.0.0' }]);
		expect(h.services.inventory.listForMa(a.deviceId, a.maId)).toEqual([]);
		expect(h.services.inventory.listForMa(a.deviceId, bId)).toEqual([]);
		// A device cannot file a component under an MA that has no component by that ID.
		h.services.inventory.report(a.deviceId, [{ stage: 'delivered', componentId: 'com.b.only', version: '1.0.0', maId: a.maId }]);
		expect(h.services.inventory.listForMa(a.deviceId, a.maId)).toEqual([]);
	});
});
