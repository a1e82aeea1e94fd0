import { describe, it, expect } from 'vitest';
import { compareVersions, latestVersion, newerVersions, olderVersions } from './semver';

describe('compareVersions', () => {
	it('orders numerically, not as text', () => {
		expect(compareVersions('1.10.0', '1.9.0')).toBeGreaterThan(0);
		expect(compareVersions('2.0.0', '10.0.0')).toBeLessThan(0);
		expect(compareVersions('1.2.3', '1.2.3')).toBe(0);
	});
	it('puts a release after its pre-releases', () => {
		expect(compareVersions('1.0.0', '1.0.0-rc.1')).toBeGreaterThan(0);
		expect(compareVersions('1.0.0-alpha', '1.0.0-beta')).toBeLessThan(0);
	});
	it('picks the highest version as latest', () => {
		expect(latestVersion([{ version: '1.2.0' }, { version: '1.10.0' }, { version: '1.9.9' }])?.version).toBe('1.10.0');
		expect(latestVersion([])).toBeUndefined();
	});
});

describe('newerVersions / olderVersions', () => {
	const all = [{ version: '1.0.0' }, { version: '1.10.0' }, { version: '1.1.0' }, { version: '1.2.0-rc.1' }];
	it('an update from 1.1.0 offers only higher versions, highest first', () => {
		expect(newerVersions(all, '1.1.0').map((v) => v.version)).toEqual(['1.10.0', '1.2.0-rc.1']);
	});
	it('a downgrade from 1.1.0 offers only lower versions', () => {
		expect(olderVersions(all, '1.1.0').map((v) => v.version)).toEqual(['1.0.0']);
	});
	it('nothing newer than the highest', () => {
		expect(newerVersions(all, '1.10.0')).toEqual([]);
	});
});
