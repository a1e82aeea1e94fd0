import { describe, it, expect } from 'vitest';
import { DEFAULT_MA_SETTINGS, parseMaSettings } from './ma-settings';

describe('MA settings', () => {
	it('fills defaults and survives bad JSON', () => {
		expect(parseMaSettings('{}')).toEqual(DEFAULT_MA_SETTINGS);
		expect(parseMaSettings('not json')).toEqual(DEFAULT_MA_SETTINGS);
		expect(parseMaSettings(null)).toEqual(DEFAULT_MA_SETTINGS);
		expect(parseMaSettings('{"allowedConsentModes":["confirm"],"autoApproveDeviceRequests":true}')).toEqual({
			...DEFAULT_MA_SETTINGS,
			allowedConsentModes: ['confirm'],
			autoApproveDeviceRequests: true
		});
		// SCOMO-SEC-02: Remove and large fan-outs need an administrator's passkey by default.
		expect(DEFAULT_MA_SETTINGS).toMatchObject({ highRiskKinds: ['Remove'], highRiskFanout: 100 });
		expect(parseMaSettings('{"highRiskKinds":["Remove","Update"],"highRiskFanout":5}')).toMatchObject({ highRiskKinds: ['Remove', 'Update'], highRiskFanout: 5 });
		expect(parseMaSettings('{"allowedConsentModes":["loud"]}')).toEqual(DEFAULT_MA_SETTINGS);
	});
});
