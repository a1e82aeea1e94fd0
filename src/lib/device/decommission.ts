/**
 * Erasing one MA's data on the device when the MA decommissions it (issue #17; runtime.ts verifies the MA's
 * signature first): its components (running ones stopped, bundles deleted), its journal entries, the results
 * and refusals waiting for it, its withheld flag, then the MA itself from the identity (name, trust statement,
 * keys) and the user's standing choice for it. Other MAs' data is not touched.
 */
import { componentKey } from './component-key';
import { errorMessage, type EventSink } from './events';
import { nextSeq, type LedgerKeeper } from './ledger';
import type { ComponentRunner, PackageStore, StateStore } from './ports';

export type EraseDeps = { keeper: LedgerKeeper; runner: ComponentRunner; packages: PackageStore; store: StateStore; emit: EventSink };

/** Erases the MA's data; returns the component IDs it removed. Idempotent: a second call finds nothing. */
export async function eraseMaData(d: EraseDeps, maId: string): Promise<{ erased: string[]; names: string[] }> {
	const mine = d.keeper.ledger.inventory.filter((i) => i.maId === maId);
	for (const item of mine) {
		const key = componentKey(maId, item.component.componentId);
		try {
			if (d.runner.isRunning(key)) await d.runner.stop(key);
			await d.packages.delete(key);
		} catch (e) {
			// Erased from the ledger anyway: nothing of the MA runs again (restore reads the ledger).
			d.emit({ event: 'error', where: 'decommission', message: errorMessage(e) });
		}
	}
	await d.keeper.commit((l) => {
		l.inventory = l.inventory.filter((i) => i.maId !== maId);
		l.journal = l.journal.filter((e) => e.set.maId !== maId);
		l.results = Object.fromEntries(Object.entries(l.results).filter(([, r]) => r.maId !== maId));
		if (l.refusals) l.refusals = Object.fromEntries(Object.entries(l.refusals).filter(([, r]) => r.maId !== maId));
		if (l.withheld) l.withheld = l.withheld.filter((m) => m !== maId);
		// The inventory changed: reports carry a newer sequence.
		nextSeq(l);
	});
	const identity = await d.store.readIdentity();
	if (identity) await d.store.writeIdentity({ ...identity, mas: identity.mas.filter((m) => m.maId !== maId) });
	const choices = await d.store.readChoices();
	if (maId in choices) {
		delete choices[maId];
		await d.store.writeChoices(choices);
	}
	return { erased: mine.map((i) => i.component.componentId), names: mine.map((i) => i.manifest.name || i.component.componentId) };
}
