import { describe, it, expect } from 'vitest';
import { PassThrough } from 'node:stream';
import { PolicyConsent, describeRequest, processTerminal, type ConsentPolicy, type Terminal } from './policy-consent';
import type { ConsentRequest } from '../src/lib/device';

const request = (maId = 'ma-1'): ConsentRequest => ({
	maId,
	maName: 'Acme',
	intent: 'Security fix',
	operations: [
		{
			correlator: 'corr-0001',
			kind: 'Update',
			label: 'Update',
			implication: 'Replaces the installed component with a new version.',
			component: { id: 'com.example.clock', name: 'Clock', version: '1.1.0' },
			permissions: [{ permission: 'storage', sentence: 'Keep its own data on this device.' }]
		}
	]
});

const policy = (p: Partial<ConsentPolicy>): ConsentPolicy => ({ default: 'prompt', perMa: {}, choices: {}, ...p });

function terminal(isTTY: boolean, answer = 'y'): Terminal & { questions: string[] } {
	const questions: string[] = [];
	return { isTTY, questions, question: async (q) => (questions.push(q), answer) };
}

describe('PolicyConsent', () => {
	it('answers from the policy: per MA first, then the default', async () => {
		const lines: Record<string, unknown>[] = [];
		const c = new PolicyConsent(policy({ default: 'refuse', perMa: { 'ma-2': 'accept' } }), (l) => lines.push(l), terminal(true));
		expect(await c.ask(request('ma-1'))).toBe('refuse');
		expect(await c.ask(request('ma-2'))).toBe('accept');
		expect(lines.map((l) => l.event)).toEqual(['consent-asked', 'consent-asked']);
	});

	it('prompts on a terminal with the implications (SCOMO-USA-4); no terminal means no consent', async () => {
		const t = terminal(true, 'yes');
		expect(await new PolicyConsent(policy({}), () => {}, t).ask(request())).toBe('accept');
		expect(t.questions[0]).toContain('Acme asks to run 1 operation(s)');
		expect(await new PolicyConsent(policy({}), () => {}, terminal(true, 'n')).ask(request())).toBe('refuse');
		const none = terminal(false);
		expect(await new PolicyConsent(policy({}), () => {}, none).ask(request())).toBe('refuse');
		expect(none.questions).toEqual([]);
	});

	it('describes who asks, why, and what each operation may do', () => {
		expect(describeRequest(request())).toBe(
			[
				'Acme asks to run 1 operation(s) on this device.',
				'Why: Security fix',
				'- Update Clock 1.1.0: Replaces the installed component with a new version.',
				'    it may: Keep its own data on this device.'
			].join('\n')
		);
	});

	it('prints notices as JSON lines', () => {
		const lines: Record<string, unknown>[] = [];
		new PolicyConsent(policy({}), (l) => lines.push(l), terminal(false)).notify({ kind: 'blocked', maId: 'm', maName: 'Acme', correlators: ['c'] });
		expect(lines).toEqual([{ event: 'notice', kind: 'blocked', maId: 'm', maName: 'Acme', correlators: ['c'] }]);
	});
});

describe('processTerminal', () => {
	it('takes a line only as the answer to the question on screen; a line typed before it is dropped', async () => {
		const input = new PassThrough();
		const output = new PassThrough();
		const t = processTerminal(input, output, true);
		const withdrawn = new AbortController();
		const first = t.question('Install? ', withdrawn.signal);
		withdrawn.abort();
		await expect(first).rejects.toThrow(/withdrawn/);
		// The user answers the prompt that just went away: nothing is asking, so the line counts for nothing.
		input.write('y\n');
		await new Promise((r) => setImmediate(r));
		const second = t.question('Remove? ');
		let answered: string | null = null;
		void second.then((a) => (answered = a));
		await new Promise((r) => setImmediate(r));
		expect(answered).toBeNull();
		input.write('n\n');
		expect(await second).toBe('n');
		expect(output.read()?.toString()).toBe('Install? Remove? ');
	});
});
