import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { RolloutDefinitionSchema } from '../contract/rollouts';
import { defaultDraft, errorsByField, explainWindow, fieldKey, plainMessage, toDefinition } from './rollout-form';

describe('the new-rollout form', () => {
	it('turns the default draft (canary, 10 %, the rest) into a definition the contract accepts', () => {
		const d = { ...defaultDraft('com.example.clock'), name: 'Clock', filter: 'tag == lobby', consentMode: 'confirm' as const, intent: 'Installs the clock' };
		const def = toDefinition(d);
		expect(v.safeParse(RolloutDefinitionSchema, def).success).toBe(true);
		expect(def.phases.map((p) => p.size)).toEqual([{ kind: 'count', count: 1 }, { kind: 'percent', percent: 10 }, { kind: 'rest' }]);
		expect(def.schedule).toEqual({ startAt: null, endAt: null, endBehavior: 'let-finish' });
		expect(def.retry).toEqual({ count: 2, firstDelayMs: 300_000, maxDelayMs: 3_600_000 });
	});

	it('puts each contract issue at its field, the first per field', () => {
		expect(fieldKey('phases.1.success.percent')).toBe('phases.1.success');
		expect(fieldKey('phases.0.size.count')).toBe('phases.0.size');
		expect(fieldKey('windows.2.cron')).toBe('windows.2.cron');
		expect(fieldKey('steps.operations.0.componentId')).toBe('steps');
		expect(fieldKey('target.filter')).toBe('filter');
		expect(fieldKey('schedule.endAt')).toBe('endAt');
		expect(fieldKey('something.else')).toBe('form');
		expect(errorsByField([{ path: 'name', message: 'a' }, { path: 'name', message: 'b' }])).toEqual({ name: 'a' });
	});

	it('says parser messages in plain words', () => {
		expect(plainMessage('Invalid value: Expected >=1 but received 0')).toBe('Must be at least 1.');
		expect(plainMessage('Invalid length: Expected >=1 but received 0')).toBe('Fill this in.');
		expect(plainMessage('Invalid value: Expected <=100 but received 120')).toBe('Must be at most 100.');
	});

	it('explains when a maintenance window next opens, or what is wrong with it', () => {
		const now = Date.UTC(2026, 11, 2, 15, 0);
		const next = explainWindow({ cron: '0 2 * * *', durationMinutes: 120, timeZone: 'UTC' }, now);
		expect(next).toEqual({ ok: true, text: 'Next window: Thu 3 Dec, 02:00 – 04:00 (2 h, UTC time).' });
		const open = explainWindow({ cron: '0 14 * * *', durationMinutes: 120, timeZone: 'UTC' }, now);
		expect(open).toEqual({ ok: true, text: 'Open now, until Wed 2 Dec, 16:00 (UTC).' });
		const bad = explainWindow({ cron: '0 2 * * *', durationMinutes: 60, timeZone: 'Mars/Olympus' }, now);
		expect(bad.ok).toBe(false);
		if (!bad.ok) expect(bad.field).toBe('timeZone');
	});
});
