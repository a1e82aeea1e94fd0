import { describe, expect, it } from 'vitest';
import { deviceStateWords, tallyText, timelineWords } from './rollout-words';
import type { RolloutDeviceView } from '../contract/rollouts';

const device = (over: Partial<RolloutDeviceView>): RolloutDeviceView => ({
	deviceId: 'd', name: 'Lobby', phaseIdx: 0, state: 'waiting', attempts: 0, batchId: null, correlator: null,
	nextAttemptAt: null, startedAt: null, finishedAt: null, lastResultCode: null, operation: null, ...over
});

describe('rollouts in words', () => {
	it('says where a device stands, from its live operation when it has one', () => {
		expect(deviceStateWords(device({}), 0).label).toBe('Waiting for its phase or window');
		const op = { status: 'awaiting-consent' as const, downloadStatus: null, bytesDone: null, bytesTotal: null };
		expect(deviceStateWords(device({ state: 'delivered', operation: op }), 0).label).toBe('Awaiting the user’s consent');
		const dl = deviceStateWords(device({ state: 'delivered', operation: { ...op, status: 'in-progress', bytesDone: 10, bytesTotal: 100 } }), 0);
		expect(dl).toMatchObject({ label: 'Downloading', bytes: { done: 10, total: 100 } });
		expect(deviceStateWords(device({ state: 'failed', nextAttemptAt: 100 }), 50).label).toBe('Failed, retry planned');
		expect(deviceStateWords(device({ state: 'refused' }), 0).tone).toBe('warn');
	});

	it('tells the tally and the timeline', () => {
		expect(tallyText({ total: 4, succeeded: 1, failed: 1, refused: 1, pending: 1 })).toBe('1 succeeded, 1 failed, 1 refused, 1 pending of 4');
		expect(timelineWords({ action: 'rollout.phase', outcome: 'started', detail: { phase: 1, status: 'running' } })).toBe('Phase 2 started');
		expect(timelineWords({ action: 'rollout.phase', outcome: 'confirm', detail: { phase: 1, status: 'done' } })).toBe('Phase 2 done (confirmed by a person)');
		expect(timelineWords({ action: 'rollout.phase', outcome: 'pause', detail: { phase: 0, reason: 'errors', detail: '1 of 1 devices failed' } })).toBe('Phase 1 paused on errors: 1 of 1 devices failed');
		expect(timelineWords({ action: 'rollout.pause', outcome: 'ok', detail: { note: 'lunch' } })).toBe('Paused — “lunch”');
	});
});
