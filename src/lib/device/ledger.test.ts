import { describe, it, expect } from 'vitest';
import { addResult, LedgerKeeper, REMEMBERED_RESULTS, setItem } from './ledger';
import { emptyLedger, type InventoryItem } from './ports';
import { MemoryStateStore } from './memory-adapters';

const result = (c: string) => ({ correlator: c, resultCode: 1200, message: '', componentId: null, entry: null, completedAt: 1 });
const item = (id: string, version = '1.0.0'): InventoryItem => ({
	maId: 'm',
	component: { stage: 'delivered', componentId: id, version },
	manifest: { id, name: id, version, description: '', permissions: [], compatibleBaselines: ['*'], entry: 'main.js' },
	sha256: '0'.repeat(64)
});

describe('ledger', () => {
	it('setItem adds, replaces and drops one component', () => {
		const l = emptyLedger();
		setItem(l, 'm', 'com.a.x', item('com.a.x'));
		setItem(l, 'm', 'com.a.y', item('com.a.y'));
		setItem(l, 'm', 'com.a.x', item('com.a.x', '2.0.0'));
		expect(l.inventory.map((i) => `${i.component.componentId}@${i.component.version}`)).toEqual(['com.a.x@2.0.0', 'com.a.y@1.0.0']);
		setItem(l, 'm', 'com.a.x', null);
		expect(l.inventory.map((i) => i.component.componentId)).toEqual(['com.a.y']);
	});

	it("setItem keeps two MAs' components of the same ID apart", () => {
		const l = emptyLedger();
		setItem(l, 'm', 'com.a.x', item('com.a.x'));
		setItem(l, 'n', 'com.a.x', { ...item('com.a.x', '3.0.0'), maId: 'n' });
		setItem(l, 'm', 'com.a.x', null);
		expect(l.inventory.map((i) => `${i.maId}:${i.component.componentId}@${i.component.version}`)).toEqual(['n:com.a.x@3.0.0']);
	});

	it('forgets the oldest acknowledged results beyond the limit, never an unacknowledged one', () => {
		const l = emptyLedger();
		addResult(l, 'corr-unacked', { maId: 'm', acked: false, result: result('corr-unacked') });
		for (let i = 0; i < REMEMBERED_RESULTS + 5; i++) {
			addResult(l, `corr-${i}`, { maId: 'm', acked: true, result: result(`corr-${i}`) });
		}
		expect(Object.keys(l.results)).toHaveLength(REMEMBERED_RESULTS + 1);
		expect(l.results['corr-unacked']).toBeDefined();
		expect(l.results['corr-0']).toBeUndefined();
		expect(l.results[`corr-${REMEMBERED_RESULTS + 4}`]).toBeDefined();
	});

	it('commits reach the store in order, each with every change before it', async () => {
		const store = new MemoryStateStore();
		const keeper = await LedgerKeeper.load(store);
		const a = keeper.commit((l) => setItem(l, 'm', 'com.a.x', item('com.a.x')));
		const b = keeper.commit((l) => setItem(l, 'm', 'com.a.y', item('com.a.y')));
		await Promise.all([a, b]);
		expect(store.ledger.inventory.map((i) => i.component.componentId)).toEqual(['com.a.x', 'com.a.y']);
		expect(store.writes).toBe(2);
	});

	it('a failed write is reported to its caller and does not block later writes', async () => {
		const store = new MemoryStateStore();
		const keeper = await LedgerKeeper.load(store);
		store.failNextWrites = 1;
		await expect(keeper.commit((l) => setItem(l, 'm', 'com.a.x', item('com.a.x')))).rejects.toThrow('disk full');
		await keeper.commit();
		expect(store.ledger.inventory).toHaveLength(1);
	});
});
