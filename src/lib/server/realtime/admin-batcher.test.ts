import { describe, it, expect } from 'vitest';
import { AdminBatcher } from './admin-batcher';
import type { AdminLiveItem, AdminOperationEvent } from '../../contract/admin-protocol';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function op(id: string, status: AdminOperationEvent['status']): AdminLiveItem {
	return { event: 'operation', data: { id, status } as AdminOperationEvent };
}

/** A batcher over rooms whose console counts the test sets; records what it sends and what it built. */
function setup(consoles: Record<string, number>) {
	const sent: { room: string; items: AdminLiveItem[] }[] = [];
	const built: string[] = [];
	const batcher = new AdminBatcher({ listeners: (room) => consoles[room] ?? 0, send: (room, items) => sent.push({ room, items }) });
	const pending = (item: AdminLiveItem, key?: string) => ({
		key,
		build: () => {
			built.push(JSON.stringify(item));
			return item;
		}
	});
	return { sent, built, batcher, pending };
}

describe('AdminBatcher', () => {
	it('sends one message per room per turn, keeping only the latest update of an operation, in order', async () => {
		const { sent, batcher, pending } = setup({ 'ma:a': 1 });
		batcher.push('ma:a', pending(op('o1', 'queued'), 'op:o1'));
		batcher.push('ma:a', pending({ event: 'device:status', data: { deviceId: 'd1', online: true } }));
		batcher.push('ma:a', pending(op('o2', 'queued'), 'op:o2'));
		batcher.push('ma:a', pending(op('o1', 'delivered'), 'op:o1'));
		expect(sent).toEqual([]); // nothing before the turn ends
		await nextTurn();
		expect(sent).toEqual([
			{
				room: 'ma:a',
				items: [{ event: 'device:status', data: { deviceId: 'd1', online: true } }, op('o2', 'queued'), op('o1', 'delivered')]
			}
		]);

		// The next turn is a new batch.
		batcher.push('ma:a', pending(op('o1', 'completed'), 'op:o1'));
		await nextTurn();
		expect(sent).toHaveLength(2);
		expect(sent[1]).toEqual({ room: 'ma:a', items: [op('o1', 'completed')] });
	});

	it('keeps rooms apart', async () => {
		const { sent, batcher, pending } = setup({ 'ma:a': 1, 'ma:b': 2 });
		batcher.push('ma:a', pending(op('o1', 'queued'), 'op:o1'));
		batcher.push('ma:b', pending(op('o2', 'queued'), 'op:o2'));
		batcher.push('ma:a', pending(op('o3', 'queued'), 'op:o3'));
		await nextTurn();
		expect(sent).toEqual([
			{ room: 'ma:a', items: [op('o1', 'queued'), op('o3', 'queued')] },
			{ room: 'ma:b', items: [op('o2', 'queued')] }
		]);
	});

	it('builds and sends nothing for a room without a console, also when its last console left during the turn', async () => {
		const consoles: Record<string, number> = { 'ma:a': 1 };
		const { sent, built, batcher, pending } = setup(consoles);
		batcher.push('ma:none', pending(op('o1', 'queued'), 'op:o1'));
		batcher.push('ma:a', pending(op('o2', 'queued'), 'op:o2'));
		consoles['ma:a'] = 0;
		await nextTurn();
		expect(built).toEqual([]);
		expect(sent).toEqual([]);
	});

	it('a failing build loses only its own item', async () => {
		const errors: unknown[] = [];
		const sent: AdminLiveItem[][] = [];
		const batcher = new AdminBatcher({ listeners: () => 1, send: (_room, items) => sent.push(items), onError: (e) => errors.push(e) });
		batcher.push('ma:a', {
			build: () => {
				throw new Error('gone');
			}
		});
		batcher.push('ma:a', { build: () => op('o1', 'queued') });
		await nextTurn();
		expect(sent).toEqual([[op('o1', 'queued')]]);
		expect(errors).toHaveLength(1);
	});
});
