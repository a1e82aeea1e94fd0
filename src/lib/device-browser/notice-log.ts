/**
 * Notices (SCOMO-USA-2): every notice is kept in IndexedDB (so the user has a record, e.g. of operations
 * refused because an MA is blocked) and shown in the PWA; where the user allowed notifications, it is also
 * shown as a system notification through the service worker registration.
 */
import { writable, type Readable } from 'svelte/store';
import type { Notice } from '../device';
import { durableTx, type DeviceDb, type NoticeRecord } from './db';
import { noticeText } from './notice-text';

/** Notices kept on the device; older ones are deleted first. */
export const KEPT_NOTICES = 200;

export type SystemNotifications = 'unsupported' | NotificationPermission;

export class NoticeLog {
	private readonly store = writable<NoticeRecord[]>([]);

	constructor(private readonly db: DeviceDb) {}

	get notices(): Readable<NoticeRecord[]> {
		return this.store;
	}

	async load(): Promise<void> {
		this.store.set(await this.db.getAll('notices'));
	}

	async add(notice: Notice, at = Date.now()): Promise<void> {
		const record: NoticeRecord = { at, notice, read: false };
		const tx = durableTx(this.db, 'notices');
		const id = await tx.store.add(record);
		const keys = await tx.store.getAllKeys();
		for (const k of keys.slice(0, Math.max(0, keys.length - KEPT_NOTICES))) await tx.store.delete(k);
		await tx.done;
		this.store.update((list) => [...list, { ...record, id }].slice(-KEPT_NOTICES));
		void this.showSystem(notice, id);
	}

	async dismiss(id: number): Promise<void> {
		const tx = durableTx(this.db, 'notices');
		const r = await tx.store.get(id);
		if (r) await tx.store.put({ ...r, read: true });
		await tx.done;
		this.store.update((list) => list.map((n) => (n.id === id ? { ...n, read: true } : n)));
	}

	async dismissAll(): Promise<void> {
		const tx = durableTx(this.db, 'notices');
		for (const r of await tx.store.getAll()) if (!r.read) await tx.store.put({ ...r, read: true });
		await tx.done;
		this.store.update((list) => list.map((n) => ({ ...n, read: true })));
	}

	/** A system notification, only where the user granted the permission (the "Enable notifications" button). */
	private async showSystem(notice: Notice, id: number): Promise<void> {
		if (systemNotifications() !== 'granted' || !('serviceWorker' in navigator)) return;
		try {
			const reg = await navigator.serviceWorker.getRegistration('/');
			if (!reg) return;
			const t = noticeText(notice);
			await reg.showNotification(t.title, { body: t.body, tag: `scomo-notice-${id}`, icon: '/icons/icon-192.png', data: { url: '/device' } });
		} catch {
			// The in-page notice is the record; a system notification is a courtesy.
		}
	}
}

export function systemNotifications(): SystemNotifications {
	return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Asks the browser for the permission (must run from a user's click). */
export async function enableSystemNotifications(): Promise<SystemNotifications> {
	if (typeof Notification === 'undefined') return 'unsupported';
	return Notification.requestPermission();
}
