import { describe, it, expect } from 'vitest';
import { consentPlan, describeOperations, inventoryWithheld } from './consent';
import type { CommandSetMsg } from '../contract';
import type { InventoryItem } from './ports';

describe('consentPlan', () => {
	// mode × user choice, written out by hand from the OMA SCOMO requirements (USA-1/2/3/5, ADC-2).
	const TABLE = {
		silent: { ask: 'run', allow: 'run', block: 'refuse-blocked' },
		notify: { ask: 'run-notify', allow: 'run-notify', block: 'refuse-blocked' },
		confirm: { ask: 'ask', allow: 'run', block: 'refuse-blocked' }
	} as const;
	for (const [mode, row] of Object.entries(TABLE)) {
		for (const [choice, plan] of Object.entries(row)) {
			it(`${mode} with the user's '${choice}' → ${plan}`, () => {
				expect(consentPlan(mode as 'silent', choice as 'ask')).toBe(plan);
			});
		}
	}
});

describe('inventoryWithheld (unsolicited reports obey consent)', () => {
	it('withholds a blocked MA, and one whose Inventory the user refused unless now allowed', () => {
		expect(inventoryWithheld('ma-1', 'block', [])).toBe(true);
		expect(inventoryWithheld('ma-1', 'ask', ['ma-1'])).toBe(true);
		expect(inventoryWithheld('ma-1', 'ask', ['ma-2'])).toBe(false);
		expect(inventoryWithheld('ma-1', 'allow', ['ma-1'])).toBe(false);
		expect(inventoryWithheld('ma-1', 'ask', [])).toBe(false);
	});
});

describe('describeOperations', () => {
	it('takes the component from the installed item when the command carries no package, and lists no permissions for a Remove (SCOMO-USA-4)', () => {
		const installed: InventoryItem = {
			maId: 'm',
			component: { stage: 'deployed', componentId: 'com.example.cam', version: '2.0.0', state: 'Active', operational: 'Stopped' },
			manifest: { id: 'com.example.cam', name: 'Camera', version: '2.0.0', description: '', permissions: ['camera', 'location'], compatibleBaselines: ['*'], entry: 'main.js' },
			sha256: '0'.repeat(64)
		};
		const set = {
			operations: [
				{ correlator: 'corr-0001', kind: 'Remove', componentId: 'com.example.cam', version: null, package: null },
				{ correlator: 'corr-0002', kind: 'Inventory', componentId: null, version: null, package: null }
			]
		} as unknown as CommandSetMsg;
		const [remove, inventory] = describeOperations(set, (id) => (id === 'com.example.cam' ? installed : null));
		expect(remove).toMatchObject({
			label: 'Remove',
			component: { id: 'com.example.cam', name: 'Camera', version: '2.0.0' },
			// Removing grants nothing: the prompt must not list the component's permissions as if it asked for them.
			permissions: []
		});
		expect(remove!.implication).toMatch(/deletes it/);
		expect(inventory).toMatchObject({ label: 'Inventory', component: null, permissions: [] });
	});
});
