/**
 * The PWA's ConsentPort: prompts wait in a Svelte store until the user answers on screen (SCOMO-USA-1, USA-3,
 * ADC-2: one prompt per command set). Nothing is kept here across a reload on purpose: the runtime's journal
 * holds the unanswered set (consent 'pending'), and asks again when the PWA opens, so the prompt reappears.
 *
 * Expiry: a prompt still open when its command set expires is withdrawn (ask() rejects with PromptExpired);
 * the runtime then ends its operations as unanswered — no answer is no consent (SCOMO-USA-1), the runtime's
 * code for that is 1401.
 */
import { writable, type Readable } from 'svelte/store';
import type { ConsentPort, ConsentRequest, Notice } from '../device';

export type PendingPrompt = { id: number; request: ConsentRequest; shownAt: number; expiresAt: number | null };

export class PromptExpired extends Error {
	constructor() {
		super('The prompt expired before it was answered.');
	}
}

/** The MA withdrew the operations while the prompt was open (cancelled): the prompt is taken away. */
export class PromptWithdrawn extends Error {
	constructor() {
		super('The operations were withdrawn before they were answered.');
	}
}

/** setTimeout's delay is a 32-bit signed integer: longer waits are taken in steps. */
const MAX_DELAY = 2 ** 31 - 1;

export type PromptConsentHooks = {
	/** When the command set behind this request expires (from the runtime's journal); null if unknown. */
	expiresAt?: (request: ConsentRequest) => number | null;
	notice: (notice: Notice) => void;
	now?: () => number;
};

type Waiting = PendingPrompt & { resolve: (a: 'accept' | 'refuse') => void; reject: (e: Error) => void; timer?: ReturnType<typeof setTimeout> };

export class PromptConsent implements ConsentPort {
	private readonly store = writable<PendingPrompt[]>([]);
	private readonly waiting = new Map<number, Waiting>();
	private nextId = 1;

	constructor(private readonly hooks: PromptConsentHooks) {}

	get prompts(): Readable<PendingPrompt[]> {
		return this.store;
	}

	private publish(): void {
		this.store.set([...this.waiting.values()].map(({ id, request, shownAt, expiresAt }) => ({ id, request, shownAt, expiresAt })));
	}

	ask(request: ConsentRequest, signal?: AbortSignal): Promise<'accept' | 'refuse'> {
		const now = this.hooks.now ?? Date.now;
		return new Promise((resolve, reject) => {
			const id = this.nextId++;
			if (signal?.aborted) return reject(new PromptWithdrawn());
			signal?.addEventListener('abort', () => this.settle(id, new PromptWithdrawn()));
			const expiresAt = this.hooks.expiresAt?.(request) ?? null;
			const w: Waiting = { id, request, shownAt: now(), expiresAt, resolve, reject };
			this.waiting.set(id, w);
			const arm = () => {
				if (expiresAt === null) return;
				const left = expiresAt - now();
				if (left <= 0) return this.settle(id, new PromptExpired());
				w.timer = setTimeout(arm, Math.min(left, MAX_DELAY));
			};
			arm();
			this.publish();
		});
	}

	/** The user's answer to one prompt (the Accept / Refuse buttons). */
	answer(id: number, decision: 'accept' | 'refuse'): void {
		this.settle(id, decision);
	}

	/** Refuses every open prompt of one MA (the user left that MA). */
	refuseAll(maId: string): void {
		for (const w of [...this.waiting.values()]) if (w.request.maId === maId) this.settle(w.id, 'refuse');
	}

	private settle(id: number, outcome: 'accept' | 'refuse' | Error): void {
		const w = this.waiting.get(id);
		if (!w) return;
		clearTimeout(w.timer);
		this.waiting.delete(id);
		this.publish();
		if (outcome instanceof Error) w.reject(outcome);
		else w.resolve(outcome);
	}

	notify(notice: Notice): void {
		this.hooks.notice(notice);
	}
}
