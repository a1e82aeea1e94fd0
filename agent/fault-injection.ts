/**
 * Fault injection for the crash-safety tests, off unless AGENT_FAULT_INJECTION is set:
 * - `pause-after-package-store`: after a bundle is written to the package store (mid-install: downloaded and
 *   verified, inventory and result not yet committed) the agent prints {"event":"fault-paused"} and waits
 *   forever, so a test can SIGKILL it at exactly that point.
 */
import type { PackageStore } from '../src/lib/device';

export const FAULT_ENV = 'AGENT_FAULT_INJECTION';

export function withFaults(
	store: PackageStore,
	fault: string | undefined,
	print: (line: Record<string, unknown>) => void
): PackageStore {
	if (fault !== 'pause-after-package-store') return store;
	return {
		get: (id, version) => store.get(id, version),
		delete: (id, version) => store.delete(id, version),
		async put(id, version, bytes) {
			await store.put(id, version, bytes);
			print({ event: 'fault-paused', componentId: id, version });
			await new Promise<never>(() => {});
		}
	};
}
