import { describe, expect, it } from 'vitest';
import { noticeText } from './notice-text';

describe('noticeText (SCOMO-USA-2)', () => {
	it('tells the user an MA removed the device from its management, naming the components removed', () => {
		const t = noticeText({ kind: 'decommissioned', maId: 'm', maName: 'Acme', components: ['Clock', 'Weather'] });
		expect(t.title).toBe('Acme removed this device from its management');
		expect(t.body).toBe('Acme removed this device from its management; its components were removed: Clock, Weather.');
		const none = noticeText({ kind: 'decommissioned', maId: 'm', maName: 'Acme', components: [] });
		expect(none.body).toContain('it had no components here');
	});

	it('tells the user an install completed', () => {
		const t = noticeText({
			kind: 'after',
			maId: 'm',
			maName: 'Acme',
			results: [{ correlator: 'c', kind: 'DownloadInstall', componentId: 'com.example.clock', resultCode: 1200, message: 'Download and install of com.example.clock 1.0.0 succeeded.' }]
		});
		expect(t.title).toBe('Acme: completed');
		expect(t.body).toContain('com.example.clock 1.0.0 succeeded');
		expect(t.tone).toBe('ok');
	});

	it('names failures in plain words, without result codes', () => {
		const t = noticeText({
			kind: 'after',
			maId: 'm',
			maName: 'Acme',
			results: [
				{ correlator: 'a', kind: 'Install', componentId: 'x.y', resultCode: 1200, message: 'ok' },
				{ correlator: 'b', kind: 'Install', componentId: 'x.z', resultCode: 1407, message: 'bad digest' }
			]
		});
		expect(t.title).toBe('Acme: 1 of 2 did not complete');
		expect(t.body).toBe('ok. bad digest: refused by this device for safety: it could not be verified.');
		expect(t.body).not.toMatch(/1407/);
		expect(t.tone).toBe('bad');
	});

	it('keeps a record of operations refused because the MA is blocked', () => {
		const t = noticeText({ kind: 'blocked', maId: 'm', maName: 'Acme', correlators: ['a', 'b'] });
		expect(t.title).toContain('blocked');
		expect(t.body).toContain('2 operation(s)');
	});

	it('announces notify-mode operations with the intent', () => {
		const t = noticeText({
			kind: 'before',
			maId: 'm',
			maName: 'Acme',
			intent: 'Security fix',
			operations: [
				{ correlator: 'c', kind: 'Update', label: 'Update', implication: 'x', component: { id: 'a.b', name: 'Clock', version: '1.1.0' }, permissions: [] }
			]
		});
		expect(t.body).toBe('Update Clock 1.1.0. Why: Security fix.');
	});

	it('an intent ending with a full stop is not followed by ".;"', () => {
		const t = noticeText({
			kind: 'before',
			maId: 'm',
			maName: 'Acme',
			intent: 'The old clock is deleted.',
			operations: [{ correlator: 'c', kind: 'Remove', label: 'Remove', implication: 'x', component: { id: 'a.b', name: 'Clock', version: null }, permissions: [] }]
		});
		expect(t.body).toBe('Remove Clock. Why: The old clock is deleted.');
	});

	it('reports the outcome of a device request', () => {
		expect(noticeText({ kind: 'request-decided', requestId: 'r', status: 'refused', message: '' }).title).toBe('Your request was refused');
	});
});
