import { describe, expect, it } from 'vitest';
import { actionInWords, auditCsv, auditSentence, outcomeInWords, type AuditEventView } from './audit-words';

const ev = (e: Partial<AuditEventView>): AuditEventView => ({
	at: Date.UTC(2026, 11, 2, 6, 0),
	actorType: 'admin',
	actorId: 'a1',
	actorName: 'Dana Ops',
	action: 'package.upload',
	targetType: 'package',
	targetId: '',
	outcome: 'ok',
	detail: {},
	...e
});

describe('audit in words', () => {
	it('a refused upload reads as a sentence with its reason', () => {
		expect(auditSentence(ev({ outcome: 'refused', detail: { reason: 'The manifest is not valid JSON text.' } }))).toBe(
			'Dana Ops uploaded a component (why: The manifest is not valid JSON text.).'
		);
	});
	it('a device result names the operation and the outcome in words', () => {
		expect(auditSentence(ev({ actorType: 'device', actorId: '0190abcd-ef', actorName: null, action: 'operation.result', outcome: '1401', detail: { kind: 'Remove', componentId: 'com.x.clock' } }))).toBe(
			'Device 0190abcd reported Remove of com.x.clock: User cancelled.'
		);
	});
	it('dotted names become words; outcomes get a tone', () => {
		expect(actionInWords('enrollment-code.revoke')).toBe('Revoked an enrollment code');
		expect(actionInWords('device.decommission')).toBe('Decommissioned a device from this MA');
		expect(outcomeInWords('denied')).toEqual({ text: 'Denied', tone: 'bad' });
		expect(outcomeInWords('1200').tone).toBe('ok');
	});
	it('a settings change says what changed', () => {
		expect(auditSentence(ev({ action: 'settings.update', detail: { name: { from: 'Acme', to: 'Acme Devices' } } }))).toBe('Dana Ops changed the settings (name “Acme” → “Acme Devices”).');
	});
	it('a device rename says the old and new name and the tags it now has', () => {
		expect(auditSentence(ev({ action: 'device.update', detail: { name: { from: 'Lobby kiosk', to: 'Lobby east' }, tags: ['lobby', 'floor=3'] } }))).toBe(
			'Dana Ops changed a device’s name, notes or tags (name “Lobby kiosk” → “Lobby east”) (tags now: lobby, floor=3).'
		);
	});
	it('CSV quotes every field and escapes quotes', () => {
		const csv = auditCsv([ev({ detail: { name: 'say "hi"' } })]);
		const lines = csv.trim().split('\r\n');
		expect(lines).toHaveLength(2);
		expect(lines[0]).toBe('"time (UTC)","who","action","outcome","target","sentence","detail"');
		expect(lines[1]).toContain('"2026-12-02T06:00:00.000Z","Dana Ops","package.upload","ok"');
		expect(lines[1]).toContain('say ""hi""');
	});
});
