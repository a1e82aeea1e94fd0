/**
 * Reload a page's data after a live event, unless a navigation is under way. SvelteKit lets the newer of
 * an invalidation and a navigation win, so reloading at that moment would silently cancel the click (or
 * goto) that is leaving the page; and the page being left needs no fresh data anyway.
 */
import { invalidate } from '$app/navigation';
import { navigating } from '$app/state';

export function refresh(key: string): void {
	if (navigating.to) return;
	void invalidate(key);
}
