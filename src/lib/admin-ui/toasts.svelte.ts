/**
 * Short messages about what just happened (operation results, queued batches), shown by <Toaster/>.
 * Failures stay longer than successes; the list is capped so a big batch cannot flood the screen.
 */
export type Toast = { id: number; tone: 'ok' | 'bad' | 'info'; title: string; detail?: string; href?: string };

const MAX = 4;
let next = 1;

class Toasts {
	items = $state<Toast[]>([]);

	push(t: Omit<Toast, 'id'>, ms = t.tone === 'bad' ? 12_000 : 6_000): void {
		const toast = { ...t, id: next++ };
		this.items = [...this.items, toast].slice(-MAX);
		setTimeout(() => this.dismiss(toast.id), ms);
	}

	dismiss(id: number): void {
		this.items = this.items.filter((t) => t.id !== id);
	}
}

export const toasts = new Toasts();
