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

	it('targets a group, cuts a phase by group, keeps the mode, and takes thresholds as counts or percents', () => {
		const g1 = '11111111-1111-4111-8111-111111111111';
		const g2 = '22222222-2222-4222-8222-222222222222';
		const d = { ...defaultDraft('com.example.clock'), name: 'Clock', targetKind: 'group' as const, groupId: g1, mode: 'continuous' as const, consentMode: 'silent' as const };
		d.phases[0] = { ...d.phases[0]!, sizeKind: 'group', groupId: g2, errorUnit: 'count', errorPercent: 1, refusalUnit: 'count', refusalPercent: 2 };
		const def = toDefinition(d);
		expect(v.safeParse(RolloutDefinitionSchema, def).success).toBe(true);
		expect(def.target).toEqual({ kind: 'group', groupId: g1 });
		expect(def.mode).toBe('continuous');
		expect(def.phases[0]).toMatchObject({ size: { kind: 'group', groupId: g2 }, error: { count: 1, then: 'pause' }, refusal: { count: 2, then: 'pause' } });
		expect(def.phases[1]).toMatchObject({ error: { percent: 10 }, refusal: { percent: 50 } });
		expect(fieldKey('target.groupId')).toBe('group');
		expect(fieldKey('target.filter')).toBe('filter');
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
