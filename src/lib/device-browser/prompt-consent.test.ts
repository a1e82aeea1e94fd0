import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { get } from 'svelte/store';
import type { ConsentRequest, Notice } from '../device';
import { PromptConsent, PromptExpired, PromptWithdrawn } from './prompt-consent';

const request = (maId = 'ma-1', correlators = ['c1']): ConsentRequest => ({
	maId,
	maName: 'Acme',
	intent: 'Because',
	operations: correlators.map((correlator) => ({
		correlator,
		kind: 'Start',
		label: 'Start',
		implication: 'Starts it.',
		component: { id: 'com.example.clock', name: 'Clock', version: '1.0.0' },
		permissions: []
	}))
});

describe('PromptConsent (SCOMO-USA-1, ADC-2)', () => {
	beforeEach(() => vi.useFakeTimers({ now: 1_000 }));
	afterEach(() => vi.useRealTimers());

	it('queues prompts and resolves each with the user’s answer', async () => {
		const consent = new PromptConsent({ notice: () => {} });
		const a = consent.ask(request('ma-1', ['a1', 'a2']));
		const b = consent.ask(request('ma-2', ['b1']));
		const shown = get(consent.prompts);
		expect(shown.map((p) => p.request.maId)).toEqual(['ma-1', 'ma-2']);
		expect(shown[0]!.request.operations).toHaveLength(2);
		consent.answer(shown[1]!.id, 'refuse');
		consent.answer(shown[0]!.id, 'accept');
		await expect(a).resolves.toBe('accept');
		await expect(b).resolves.toBe('refuse');
		expect(get(consent.prompts)).toEqual([]);
	});

	it('takes a prompt away when the MA withdraws its operations; a late answer changes nothing', async () => {
		const consent = new PromptConsent({ notice: () => {} });
		const controller = new AbortController();
		const a = consent.ask(request(), controller.signal);
		const [shown] = get(consent.prompts);
		controller.abort();
		await expect(a).rejects.toBeInstanceOf(PromptWithdrawn);
		expect(get(consent.prompts)).toEqual([]);
		consent.answer(shown!.id, 'accept');
		expect(get(consent.prompts)).toEqual([]);
	});

	it('ignores a second answer to the same prompt', async () => {
		const consent = new PromptConsent({ notice: () => {} });
		const a = consent.ask(request());
		const id = get(consent.prompts)[0]!.id;
		consent.answer(id, 'refuse');
		consent.answer(id, 'accept');
		await expect(a).resolves.toBe('refuse');
	});

	it('withdraws a prompt when its command set expires (no answer is no consent)', async () => {
		const consent = new PromptConsent({ notice: () => {}, expiresAt: () => 61_000 });
		const a = consent.ask(request());
		expect(get(consent.prompts)[0]!.expiresAt).toBe(61_000);
		const settled = expect(a).rejects.toBeInstanceOf(PromptExpired);
		vi.advanceTimersByTime(60_000);
		await settled;
		expect(get(consent.prompts)).toEqual([]);
	});

	it('withdraws at once a prompt whose set has already expired', async () => {
		const consent = new PromptConsent({ notice: () => {}, expiresAt: () => 500 });
		await expect(consent.ask(request())).rejects.toBeInstanceOf(PromptExpired);
		expect(get(consent.prompts)).toEqual([]);
	});

	it('waits longer than setTimeout’s 24.8-day limit without firing early', async () => {
		const far = 1_000 + 40 * 24 * 3600 * 1000;
		const consent = new PromptConsent({ notice: () => {}, expiresAt: () => far });
		const a = consent.ask(request());
		vi.advanceTimersByTime(2 ** 31);
		expect(get(consent.prompts)).toHaveLength(1);
		const settled = expect(a).rejects.toBeInstanceOf(PromptExpired);
		vi.advanceTimersByTime(far);
		await settled;
	});

	it('refuses every open prompt of an MA the user leaves, and only those', async () => {
		const consent = new PromptConsent({ notice: () => {} });
		const a = consent.ask(request('ma-1'));
		consent.ask(request('ma-2'));
		consent.refuseAll('ma-1');
		await expect(a).resolves.toBe('refuse');
		expect(get(consent.prompts).map((p) => p.request.maId)).toEqual(['ma-2']);
	});

	it('passes notices on', () => {
		const seen: Notice[] = [];
		const consent = new PromptConsent({ notice: (n) => seen.push(n) });
		consent.notify({ kind: 'blocked', maId: 'm', maName: 'Acme', correlators: ['x'] });
		expect(seen).toHaveLength(1);
	});
});
