import { describe, it, expect } from 'vitest';
import * as core from './index';

describe('index', () => {
	it('re-exports the public API', () => {
		for (const name of [
			'ok',
			'err',
			'OPERATION_KINDS',
			'OPERATION_INFO',
			'isOperationKind',
			'RESULT_CODES',
			'RC',
			'resultCodeName',
			'isSuccessCode',
			'isKnownResultCode',
			'DOWNLOAD_STATUS',
			'DEPLOYED_STATE',
			'OPERATIONAL_STATES',
			'CONSENT_MODES',
			'OPERATION_STATUSES',
			'isTerminalStatus',
			'transition',
			'allowedOperations'
		]) {
			expect(core).toHaveProperty(name);
		}
	});
});
