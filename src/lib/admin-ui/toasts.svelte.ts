/**
 * Short messages about what just happened (operation results, sent batches), shown by <Toaster/>.
 * One toast per subject: a toast pushed with the `key` of one already shown (the same operation, the same
 * batch) replaces it in place, so a batch's progress never piles up. Failures stay longer than successes;
 * at most three are kept (a phone shows only the newest, see Toaster).
 */
export type Toast = { id: number; key: string; tone: 'ok' | 'bad' | 'info'; title: string; detail?: string; href?: string };

const MAX = 3;
let next = 1;

class Toasts {
	items = $state<Toast[]>([]);
	#timers = new Map<string, ReturnType<typeof setTimeout>>();

	push(t: Omit<Toast, 'id' | 'key'> & { key?: string }, ms = t.tone === 'bad' ? 12_000 : 6_000): void {
		const key = t.key ?? `toast:${next}`;
		const toast: Toast = { ...t, key, id: next++ };
		const i = this.items.findIndex((x) => x.key === key);
		this.items = i >= 0 ? this.items.map((x, j) => (j === i ? toast : x)) : [...this.items, toast].slice(-MAX);
		clearTimeout(this.#timers.get(key));
		this.#timers.set(key, setTimeout(() => this.dismiss(key), ms));
	}

	dismiss(key: string): void {
		clearTimeout(this.#timers.get(key));
		this.#timers.delete(key);
		this.items = this.items.filter((t) => t.key !== key);
	}
}

export const toasts = new Toasts();
