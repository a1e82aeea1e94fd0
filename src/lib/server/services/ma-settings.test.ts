import { describe, it, expect } from 'vitest';
import { DEFAULT_MA_SETTINGS, parseMaSettings } from './ma-settings';

describe('MA settings', () => {
	it('fills defaults and survives bad JSON', () => {
		expect(parseMaSettings('{}')).toEqual(DEFAULT_MA_SETTINGS);
		expect(parseMaSettings('not json')).toEqual(DEFAULT_MA_SETTINGS);
		expect(parseMaSettings(null)).toEqual(DEFAULT_MA_SETTINGS);
		expect(parseMaSettings('{"allowedConsentModes":["confirm"],"autoApproveDeviceRequests":true}')).toEqual({
			allowedConsentModes: ['confirm'],
			autoApproveDeviceRequests: true
		});
		expect(parseMaSettings('{"allowedConsentModes":["loud"]}')).toEqual(DEFAULT_MA_SETTINGS);
	});
});
