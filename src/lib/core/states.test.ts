import { describe, it, expect } from 'vitest';
import {
	DOWNLOAD_STATUS,
	DEPLOYED_STATE,
	OPERATIONAL_STATES,
	CONSENT_MODES,
	OPERATION_STATUSES,
	isTerminalStatus,
	isDownloadStatus,
	isOperationalState,
	isConsentMode,
	isOperationStatus,
	deployedStateCode,
	deployedStateFromCode
} from './states';

describe('states', () => {
	it('uses the SCOMO 1.0 Download Status numbers', () => {
		expect(DOWNLOAD_STATUS).toEqual({
			Idle: 10,
			DownloadFailed: 20,
			DownloadProgressing: 30,
			DownloadComplete: 40,
			InstallProgressing: 50,
			InstallFailedWithData: 60,
			InstallFailedWithoutData: 70
		});
		expect(isDownloadStatus(40)).toBe(true);
		expect(isDownloadStatus(45)).toBe(false);
		expect(isDownloadStatus('40')).toBe(false);
	});

	it('uses the SCOMO 1.0 Deployed State numbers both ways', () => {
		expect(DEPLOYED_STATE).toEqual({ Inactive: 10, Active: 20 });
		expect(deployedStateCode('Active')).toBe(20);
		expect(deployedStateCode('Inactive')).toBe(10);
		expect(deployedStateFromCode(10)).toBe('Inactive');
		expect(deployedStateFromCode(20)).toBe('Active');
		expect(deployedStateFromCode(30)).toBeNull();
	});

	it('has the LwM2M Object 9 v1.1 operational states', () => {
		expect(OPERATIONAL_STATES).toEqual(['Initializing', 'Running', 'ShuttingDown', 'Stopped', 'Failed']);
		expect(isOperationalState('Running')).toBe(true);
		expect(isOperationalState('running')).toBe(false);
	});

	it('has the three consent modes', () => {
		expect(CONSENT_MODES).toEqual(['silent', 'notify', 'confirm']);
		expect(isConsentMode('confirm')).toBe(true);
		expect(isConsentMode('ask')).toBe(false);
	});

	it('knows which operation statuses are terminal', () => {
		const terminal = OPERATION_STATUSES.filter(isTerminalStatus);
		expect(terminal).toEqual(['completed', 'failed', 'expired', 'cancelled']);
		expect(isOperationStatus('awaiting-consent')).toBe(true);
		expect(isOperationStatus('done')).toBe(false);
	});
});
