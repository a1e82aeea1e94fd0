import { describe, it, expect } from 'vitest';
import { bytesText, mergeProgress, percent, phaseText, progressMap } from './progress';
import type { AdminProgressEvent } from '../contract/admin-protocol';

const ev = (extra: Partial<AdminProgressEvent>): AdminProgressEvent => ({
	id: 'op1',
	correlator: 'c1',
	batchId: 'b1',
	deviceId: 'd1',
	phase: 'in-progress',
	downloadStatus: 30,
	bytesDone: 0,
	bytesTotal: 100,
	at: 1,
	...extra
});

describe('mergeProgress', () => {
	it('keeps the newest event per operation', () => {
		let m = mergeProgress({}, ev({ bytesDone: 10, at: 2 }));
		m = mergeProgress(m, ev({ bytesDone: 50, at: 3 }));
		expect(m.op1!.bytesDone).toBe(50);
		// A late, older tick does not move the bar back.
		expect(mergeProgress(m, ev({ bytesDone: 20, at: 1 }))).toBe(m);
	});

	it('keeps the bytes when a later phase carries none', () => {
		const m = mergeProgress(mergeProgress({}, ev({ bytesDone: 100, at: 2 })), ev({ downloadStatus: 50, bytesDone: null, bytesTotal: null, at: 3 }));
		expect(m.op1).toMatchObject({ downloadStatus: 50, bytesDone: 100, bytesTotal: 100 });
	});

	it('builds the map from a page load', () => {
		expect(Object.keys(progressMap([ev({}), ev({ id: 'op2' })]))).toEqual(['op1', 'op2']);
	});
});

describe('progress words', () => {
	it('says bytes in MB, or kB for small packages', () => {
		expect(bytesText(1.25 * 1024 * 1024, 3 * 1024 * 1024)).toBe('1.3 of 3.0 MB');
		expect(bytesText(2048, 10_240)).toBe('2 of 10 kB');
		expect(bytesText(0, 10)).toBe('0 of 1 kB');
	});

	it('percent is whole and bounded', () => {
		expect(percent(1, 3)).toBe(33);
		expect(percent(5, 0)).toBe(0);
		expect(percent(7, 5)).toBe(100);
	});

	it('names the phase', () => {
		expect(phaseText({ phase: 'awaiting-consent', downloadStatus: null })).toBe('Waiting for the user');
		expect(phaseText({ phase: 'in-progress', downloadStatus: 30 })).toBe('Downloading');
		expect(phaseText({ phase: 'in-progress', downloadStatus: 50 })).toBe('Installing');
	});
});
