/**
 * Builds the wire CommandSet (contract) for one device from persisted operations: one set per batch, so
 * the device asks its user once for the whole batch (SCOMO-ADC-2) and runs the steps in order.
 */
import type { CommandSetMsg, PackageRefMsg, Manifest } from '../../contract';
import type { OperationRow } from '../db/repos/operations';
import type { PackageVersionRow } from '../db/repos/packages';

/** Groups a device's operations by batch, keeping creation order (an operation without batch stands alone). */
export function groupByBatch(ops: readonly OperationRow[]): OperationRow[][] {
	const groups = new Map<string, OperationRow[]>();
	for (const op of ops) {
		const key = op.batchId ?? `op:${op.id}`;
		const g = groups.get(key);
		if (g) g.push(op);
		else groups.set(key, [op]);
	}
	return [...groups.values()].map((g) => g.sort((a, b) => a.seq - b.seq));
}

export function packageRef(v: PackageVersionRow, componentId: string): PackageRefMsg {
	return {
		versionId: v.id,
		componentId,
		version: v.version,
		sha256: v.bundleSha256,
		size: v.bundleSize,
		manifest: JSON.parse(v.manifest) as Manifest,
		// SCOMO-SEC-03: the MA's signature, checked by the device against the key it pinned.
		...(v.signature ? { signature: v.signature } : {})
	};
}

const MAX_OPS_PER_SET = 20;

/** One or more command sets (a batch longer than the contract allows is split, in order). */
export function buildCommandSets(
	ops: readonly OperationRow[],
	ma: { id: string; name: string },
	versions: ReadonlyMap<string, PackageVersionRow>,
	now: number
): CommandSetMsg[] {
	const sets: CommandSetMsg[] = [];
	for (let i = 0; i < ops.length; i += MAX_OPS_PER_SET) {
		const chunk = ops.slice(i, i + MAX_OPS_PER_SET);
		const first = chunk[0]!;
		sets.push({
			batchId: first.batchId,
			maId: ma.id,
			maName: ma.name.slice(0, 120),
			consentMode: first.consentMode as CommandSetMsg['consentMode'],
			intent: first.intent.slice(0, 500),
			issuedAt: now,
			expiresAt: Math.min(...chunk.map((o) => o.expiresAt)),
			operations: chunk.map((o) => {
				const v = o.packageVersionId ? versions.get(o.packageVersionId) : undefined;
				return {
					correlator: o.correlator,
					kind: o.kind as CommandSetMsg['operations'][number]['kind'],
					componentId: o.componentId,
					version: o.targetVersion,
					package: v && o.componentId ? packageRef(v, o.componentId) : null
				};
			})
		});
	}
	return sets;
}
