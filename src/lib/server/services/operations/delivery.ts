/**
 * Delivery: relaying signed command sets to devices that are online, again on every connection for what is
 * unfinished (the device dedupes by correlator), marking what a device acknowledged as delivered, and sending
 * MA-signed withdrawals of operations cancelled after delivery.
 */
import * as opsRepo from '../../db/repos/operations';
import * as masRepo from '../../db/repos/mas';
import * as pkgs from '../../db/repos/packages';
import type { OperationRow } from '../../db/repos/operations';
import { buildCommandSets, groupByBatch } from '../command-set';
import type { OperationContext } from './context';

export function operationDelivery({ deps, db, log, signing, writes, emitUpdated }: OperationContext) {
	/** Relays freshly created operations to the devices that are online; the others get them on connect. */
	async function relayNew(deviceIds: readonly string[], rows: readonly OperationRow[]): Promise<void> {
		const relay = deps.relay();
		const online = deviceIds.filter((id) => relay.isOnline(id));
		if (online.length === 0) return;
		// One pass and one lookup of versions and MAs for the whole fan-out (bench/: per device, this was
		// O(devices²) filtering and two queries per device).
		const byDevice = new Map<string, OperationRow[]>();
		for (const r of rows) {
			const list = byDevice.get(r.deviceId);
			if (list) list.push(r);
			else byDevice.set(r.deviceId, [r]);
		}
		const refs = lookups(rows);
		await Promise.all(online.map((id) => deliver(id, byDevice.get(id) ?? [], refs)));
	}

	/** The package versions and MAs a list of operations refers to. */
	function lookups(ops: readonly OperationRow[]) {
		const versionIds = [...new Set(ops.map((o) => o.packageVersionId).filter((x): x is string => x !== null))];
		return {
			versions: new Map(pkgs.getPackageVersionsByIds(db, versionIds).map((v) => [v.id, v])),
			mas: new Map(masRepo.getMas(db, [...new Set(ops.map((o) => o.maId))]).map((m) => [m.id, m]))
		};
	}

	/** After a passkey approved a high-risk batch (SCOMO-SEC-02): relay it to its devices that are online. */
	async function relayBatch(batchId: string): Promise<void> {
		const open = opsRepo.listOpenOperationsOfBatch(db, batchId);
		await relayNew([...new Set(open.map((o) => o.deviceId))], open);
	}

	/**
	 * On device authentication: first the withdrawals the device has not answered yet, then every other
	 * unfinished operation, batch by batch; the device dedupes by correlator. A withdrawn operation is never
	 * relayed again.
	 */
	async function deliverOpen(deviceId: string): Promise<void> {
		const open = opsRepo.listOpenOperationsOfDevice(db, deviceId);
		await withdraw(deviceId, open.filter((o) => o.cancelRequestedAt !== null));
		await deliver(deviceId, open.filter((o) => o.cancelRequestedAt === null));
	}

	/**
	 * Sends the MA-signed withdrawal of these operations to their device (cancel after delivery). The device
	 * answers each with a result: 1462 when it had not started it, else its own. Best effort: offline, it is
	 * sent again on the next connection (deliverOpen).
	 */
	async function withdraw(deviceId: string, ops: readonly OperationRow[]): Promise<void> {
		const relay = deps.relay();
		if (ops.length === 0 || !relay.isOnline(deviceId)) return;
		try {
			const byMa = new Map<string, string[]>();
			for (const o of ops) byMa.set(o.maId, [...(byMa.get(o.maId) ?? []), o.correlator]);
			for (const [maId, correlators] of byMa) {
				for (let i = 0; i < correlators.length; i += 100) {
					const ack = await relay.sendWithdrawal(deviceId, signing.signWithdrawal(maId, deviceId, correlators.slice(i, i + 100)));
					log.debug({ deviceId, maId, ack }, 'withdrawal sent');
				}
			}
		} catch (e) {
			log.error({ err: e, deviceId }, 'sending a withdrawal failed; it is sent again on the next connection');
		}
	}

	async function deliver(deviceId: string, ops: readonly OperationRow[], refs?: ReturnType<typeof lookups>): Promise<void> {
		if (ops.length === 0) return;
		try {
			const { versions, mas } = refs ?? lookups(ops);
			for (const group of groupByBatch(ops)) {
				const ma = mas.get(group[0]!.maId);
				if (!ma) continue;
				for (const unsigned of buildCommandSets(group, ma, versions, deps.clock())) {
					// SCOMO-SEC-01: every relayed set carries its signed envelope; null = awaiting a passkey approval.
					const set = signing.seal(deviceId, unsigned);
					if (!set) continue;
					const accepted = await deps.relay().sendCommands(deviceId, set);
					if (!accepted) {
						log.debug({ deviceId, batchId: set.batchId }, 'command set not acknowledged; stays queued');
						continue;
					}
					const delivered = await markDelivered(deviceId, accepted);
					// Cancelled while the set was on its way: the device has it now, so withdraw it there too. Only a set
					// with operations the update left alone (no longer queued) can hold one, so the usual set costs no read.
					if (delivered.length < accepted.length) {
						const late = opsRepo
							.getOperationsOfDeviceByCorrelators(db, deviceId, accepted)
							.filter((o) => o.status === 'cancelled' || o.cancelRequestedAt !== null);
						await withdraw(deviceId, late);
					}
				}
			}
		} catch (e) {
			log.error({ err: e, deviceId }, 'delivering operations failed; they stay queued');
		}
	}

	/**
	 * The device acked a command set: its queued operations are delivered (status only moves forward). Through
	 * the group commit: the acks of a fan-out arriving in one turn share one transaction.
	 */
	async function markDelivered(deviceId: string, correlators: readonly string[]): Promise<OperationRow[]> {
		const at = deps.clock();
		const delivered = await writes.submit((tx) => opsRepo.markDelivered(tx, deviceId, correlators, at));
		if (delivered.length > 0) emitUpdated(delivered);
		return delivered;
	}

	return { relayNew, relayBatch, deliverOpen, withdraw, markDelivered };
}
