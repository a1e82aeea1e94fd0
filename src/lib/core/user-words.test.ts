import { describe, expect, it } from 'vitest';
import { asksPermissions, plainOutcome } from './user-words';

describe('what the end user reads', () => {
	it('only installs and updates ask for permissions; Stop and Remove do not', () => {
		expect(asksPermissions('DownloadInstall')).toBe(true);
		expect(asksPermissions('Update')).toBe(true);
		expect(asksPermissions('Stop')).toBe(false);
		expect(asksPermissions('Remove')).toBe(false);
		expect(asksPermissions('Start')).toBe(false);
	});
	it('outcomes without codes', () => {
		expect(plainOutcome(1200)).toBe('Done');
		expect(plainOutcome(1401)).toMatch(/You said no/);
		expect(plainOutcome(1405)).toBe('Did not work');
		for (const code of [1200, 1401, 1402, 1453, 1457, 1462]) expect(plainOutcome(code)).not.toMatch(/\d{4}|Successful/);
	});
});
