/**
 * The agent's ConsentPort. Answers come from a policy file (kiosks, gateways, tests) or, for 'prompt',
 * from the person at the terminal (stdin must be a TTY; the question goes to stderr because stdout carries
 * the JSON event lines). No one to ask means no consent (SCOMO-USA-1). Notices are printed as JSON lines.
 *
 * Policy file: { "default": "accept" | "refuse" | "prompt", "perMa": { "<maId>": ... },
 *                "choices": { "<maId>": "ask" | "allow" | "block" } }  (choices: the user's standing choice)
 */
import { readFile } from 'node:fs/promises';
import { createInterface, type Interface } from 'node:readline';
import * as v from 'valibot';
import type { ConsentPort, ConsentRequest, Notice } from '../src/lib/device';

const Answer = v.picklist(['accept', 'refuse', 'prompt']);
export const ConsentPolicySchema = v.strictObject({
	default: v.optional(Answer, 'prompt'),
	perMa: v.optional(v.record(v.string(), Answer), {}),
	choices: v.optional(v.record(v.string(), v.picklist(['ask', 'allow', 'block'])), {})
});
export type ConsentPolicy = v.InferOutput<typeof ConsentPolicySchema>;

export async function readPolicy(file: string | undefined): Promise<ConsentPolicy> {
	if (!file) return v.parse(ConsentPolicySchema, {});
	const r = v.safeParse(ConsentPolicySchema, JSON.parse(await readFile(file, 'utf8')));
	if (!r.success) throw new Error(`consent policy ${file}: ${r.issues.map((i) => i.message).join('; ')}`);
	return r.output;
}

export type Terminal = { isTTY: boolean; question(text: string, signal?: AbortSignal): Promise<string> };

/**
 * The terminal of this process. One line reader for the agent's lifetime, and a line counts only as the
 * answer to the question on screen: a line typed while no question is pending (after a withdrawn prompt,
 * say) is dropped, so it can never answer a later, different question. (A reader per question would pick
 * up such a typed-ahead line from the stream's buffer and accept the next prompt unseen.)
 */
export function processTerminal(
	input: NodeJS.ReadableStream = process.stdin,
	output: NodeJS.WritableStream = process.stderr,
	isTTY = Boolean(process.stdin.isTTY)
): Terminal {
	let reader: Interface | null = null;
	let pending: ((line: string) => void) | null = null;
	const lines = () =>
		(reader ??= createInterface({ input, terminal: false }).on('line', (line) => {
			const answer = pending;
			pending = null;
			answer?.(line);
		}));
	return {
		isTTY,
		question(text: string, signal?: AbortSignal) {
			lines();
			return new Promise<string>((resolve, reject) => {
				if (signal?.aborted) return reject(new Error('the question was withdrawn'));
				output.write(text);
				pending = resolve;
				// Aborted when the MA withdraws the operations: the question goes away unanswered.
				signal?.addEventListener(
					'abort',
					() => {
						if (pending === resolve) pending = null;
						reject(new Error('the question was withdrawn'));
					},
					{ once: true }
				);
			});
		}
	};
}

/** The prompt text: who asks, why, and what each operation implies (SCOMO-USA-4). */
export function describeRequest(r: ConsentRequest): string {
	const lines = [`${r.maName} asks to run ${r.operations.length} operation(s) on this device.`];
	if (r.intent) lines.push(`Why: ${r.intent}`);
	for (const op of r.operations) {
		const c = op.component ? ` ${op.component.name}${op.component.version ? ` ${op.component.version}` : ''}` : '';
		lines.push(`- ${op.label}${c}: ${op.implication}`);
		for (const p of op.permissions) lines.push(`    it may: ${p.sentence}`);
	}
	return lines.join('\n');
}

export class PolicyConsent implements ConsentPort {
	// One question at a time on the terminal.
	private queue: Promise<unknown> = Promise.resolve();

	constructor(
		private readonly policy: ConsentPolicy,
		private readonly print: (line: Record<string, unknown>) => void,
		private readonly terminal: Terminal = processTerminal()
	) {}

	ask(request: ConsentRequest, signal?: AbortSignal): Promise<'accept' | 'refuse'> {
		const rule = this.policy.perMa[request.maId] ?? this.policy.default;
		this.print({ event: 'consent-asked', maId: request.maId, rule, text: describeRequest(request) });
		if (rule !== 'prompt') return Promise.resolve(rule);
		if (!this.terminal.isTTY) return Promise.resolve('refuse');
		const answer = this.queue.then(async () => {
			if (signal?.aborted) return 'refuse' as const;
			const text = await this.terminal.question(`${describeRequest(request)}\nAccept? [y/N] `, signal);
			return /^y(es)?$/i.test(text.trim()) ? ('accept' as const) : ('refuse' as const);
		});
		this.queue = answer.catch(() => {});
		return answer;
	}

	notify(notice: Notice): void {
		this.print({ event: 'notice', ...notice });
	}
}
