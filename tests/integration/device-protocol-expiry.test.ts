/** The expiry sweeper on its own timer: a server with a 1 s operation TTL ends unanswered operations with 1457. */
import { describe, it, expect } from 'vitest';
import { startTestServer, newMa } from '../support/test-server';
import { TestDevice } from '../support/test-device';

describe('the expiry sweeper on its own timer', () => {
	it('expires operations of a server with a 1 s TTL without being asked', async () => {
		const short = await startTestServer({ SCOMO_OPERATION_TTL_SECONDS: '1' });
		try {
			const ma = newMa(short, 'Short');
			const d = new TestDevice(short.url);
			await d.enroll((await ma.api.createEnrollmentCode()).body.code);
			const op = (await ma.api.createOperations({ deviceIds: [d.deviceId!], operations: [{ kind: 'Inventory' }] })).body.operations[0]!;
			const done = await ma.api.waitForOperation(op.correlator, (o) => o.status === 'expired');
			expect(done.resultCode).toBe(1457);
		} finally {
			await short.close();
		}
	});
});
