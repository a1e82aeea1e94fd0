import { describe, it, expect } from 'vitest';
import { RESULT_CODES, RC, resultCodeName, isSuccessCode, isKnownResultCode } from './result-codes';

// Literal copy of the SCOMO 1.0 standard codes (OMA SCOMO 1.0, "Result codes"), written out so the test can fail.
const STANDARD: [number, string][] = [
	[1200, 'Successful'],
	[1400, 'Client error'],
	[1401, 'User cancelled'],
	[1402, 'Download failed'],
	[1403, 'Alternate download authentication failure'],
	[1404, 'Download failed, out of memory'],
	[1405, 'Install failed'],
	[1406, 'Install failed, out of memory'],
	[1407, 'Failed package validation'],
	[1408, 'Remove failed'],
	[1409, 'Activate failed'],
	[1410, 'Deactivate failed'],
	[1411, 'Not implemented'],
	[1412, 'Undefined error'],
	[1413, 'Operation rejected, unsupported environment'],
	[1500, 'Alternate download server error'],
	[1501, 'Alternate download server unavailable']
];

const VENDOR: [number, string][] = [
	[1450, 'Start failed'],
	[1451, 'Stop failed'],
	[1452, 'Inventory failed'],
	[1453, 'Command signature invalid'],
	[1454, 'Command expired'],
	[1455, 'Command replayed'],
	[1456, 'Command not addressed to this device'],
	[1457, 'Operation expired without an answer'],
	[1458, 'Component not found'],
	[1459, 'Component already installed'],
	[1460, 'Component already at this version'],
	[1461, 'Component crashed'],
	[1462, 'Operation cancelled'],
	[1463, 'Administrator approval missing or invalid']
];

describe('result codes', () => {
	it.each(STANDARD)('standard %i is "%s"', (code, name) => {
		const entry = RESULT_CODES.find((c) => c.code === code);
		expect(entry).toBeDefined();
		expect(entry?.name).toBe(name);
		expect(entry?.vendor).toBe(false);
		expect(resultCodeName(code)).toBe(name);
	});

	it.each(VENDOR)('vendor %i is "%s", documented, in 1450–1499', (code, name) => {
		const entry = RESULT_CODES.find((c) => c.code === code);
		expect(entry?.name).toBe(name);
		expect(entry?.vendor).toBe(true);
		expect(entry?.description.length).toBeGreaterThan(10);
		expect(code).toBeGreaterThanOrEqual(1450);
		expect(code).toBeLessThanOrEqual(1499);
	});

	it('has exactly the standard and vendor codes, no duplicates', () => {
		const codes = RESULT_CODES.map((c) => c.code);
		expect(new Set(codes).size).toBe(codes.length);
		expect([...codes].sort()).toEqual([...STANDARD, ...VENDOR].map(([c]) => c).sort());
	});

	it('RC names every code in the table and nothing else', () => {
		expect(Object.values(RC).sort()).toEqual(RESULT_CODES.map((c) => c.code).sort());
		expect(RC.UnsupportedEnvironment).toBe(1413);
		expect(RC.Cancelled).toBe(1462);
		expect(RC.WrongDevice).toBe(1456);
	});

	it('names unknown codes by their vendor range', () => {
		expect(resultCodeName(1250)).toBe('Successful (vendor specified)');
		expect(resultCodeName(1299)).toBe('Successful (vendor specified)');
		expect(resultCodeName(1499)).toBe('Client error (vendor specified)');
		expect(resultCodeName(1470)).toBe('Client error (vendor specified)');
		expect(resultCodeName(1249)).toBe('Unknown result code');
		expect(resultCodeName(1300)).toBe('Unknown result code');
		expect(resultCodeName(1414)).toBe('Unknown result code');
		expect(resultCodeName(1502)).toBe('Unknown result code');
		expect(resultCodeName(200)).toBe('Unknown result code');
		expect(resultCodeName(1260.5)).toBe('Unknown result code');
	});

	it('isSuccessCode: 1200 and 1250–1299 only', () => {
		expect(isSuccessCode(1200)).toBe(true);
		expect(isSuccessCode(1250)).toBe(true);
		expect(isSuccessCode(1299)).toBe(true);
		for (const c of [1201, 1249, 1300, 1400, 1401, 1413, 1450, 1462, 1500, 0, NaN]) {
			expect(isSuccessCode(c)).toBe(false);
		}
	});

	it('isKnownResultCode: table codes and vendor ranges', () => {
		for (const { code } of RESULT_CODES) expect(isKnownResultCode(code)).toBe(true);
		expect(isKnownResultCode(1275)).toBe(true);
		expect(isKnownResultCode(1499)).toBe(true);
		for (const c of [1201, 1300, 1414, 1449, 1502, 1599, 200, -1, NaN, 1450.5]) {
			expect(isKnownResultCode(c)).toBe(false);
		}
	});
});
