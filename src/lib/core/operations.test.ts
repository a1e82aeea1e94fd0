import { describe, it, expect } from 'vitest';
import { OPERATION_KINDS, OPERATION_INFO, isOperationKind } from './operations';

describe('operations', () => {
	it('lists the 12 SCOMO operation kinds once each', () => {
		expect(OPERATION_KINDS).toHaveLength(12);
		expect(new Set(OPERATION_KINDS).size).toBe(12);
	});

	it('isOperationKind accepts every kind and rejects anything else', () => {
		for (const k of OPERATION_KINDS) expect(isOperationKind(k)).toBe(true);
		for (const x of ['download', 'Reboot', '', null, undefined, 3, {}, ['Start']]) {
			expect(isOperationKind(x)).toBe(false);
		}
	});

	it('only the package-carrying operations need a package (Install* use the delivered one)', () => {
		const needing = OPERATION_KINDS.filter((k) => OPERATION_INFO[k].needsPackage);
		expect(needing).toEqual(['Download', 'DownloadInstall', 'DownloadInstallInactive', 'Update']);
	});

	it('only Inventory does not target a component', () => {
		const notTargeting = OPERATION_KINDS.filter((k) => !OPERATION_INFO[k].targetsComponent);
		expect(notTargeting).toEqual(['Inventory']);
	});

	it('every kind has a label, a one-sentence implication (SCOMO-USA-4) and a requirement label', () => {
		expect(Object.keys(OPERATION_INFO).sort()).toEqual([...OPERATION_KINDS].sort());
		for (const k of OPERATION_KINDS) {
			const info = OPERATION_INFO[k];
			expect(info.label.length).toBeGreaterThan(0);
			expect(info.implication).toMatch(/^[A-Z].*\.$/);
			expect(info.requirement).toMatch(/^SCOMO-HLFR-\d$/);
		}
	});

	it('cites the right requirements', () => {
		expect(OPERATION_INFO.Start.requirement).toBe('SCOMO-HLFR-5');
		expect(OPERATION_INFO.Inventory.requirement).toBe('SCOMO-HLFR-3');
		expect(OPERATION_INFO.Update.requirement).toBe('SCOMO-HLFR-7');
		expect(OPERATION_INFO.Remove.requirement).toBe('SCOMO-HLFR-2');
		expect(OPERATION_INFO.Activate.requirement).toBe('SCOMO-HLFR-4');
	});
});
