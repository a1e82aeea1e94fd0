/**
 * Devices as MAs see them (only devices enrolled with them, SCOMO-ADC-3), and device authentication
 * on connect: a signature over the server's nonce with the key registered at enrollment.
 */
import { deviceAuthMessage, type DeviceInfoMsg } from '../../contract';
import { ok } from '../../core';
import * as devicesRepo from '../db/repos/devices';
import * as enrollmentsRepo from '../db/repos/enrollments';
import { verifyEd25519 } from './ed25519';
import { fail, type Outcome } from './errors';
import type { InventoryService } from './inventory';
import { deviceView, type DeviceView, type InventoryItemView } from './views';
import type { ServiceDeps } from './deps';

export function createDeviceService(deps: ServiceDeps, inventory: InventoryService) {
	const { db } = deps;

	function list(maId: string): DeviceView[] {
		const relay = deps.relay();
		return devicesRepo.listDevicesOfMa(db, maId).map((d) => deviceView(d, d.enrolledAt, relay.isOnline(d.id)));
	}

	/** One device of this MA with this MA's part of its inventory; other devices are not_found. */
	function get(maId: string, id: string): Outcome<{ device: DeviceView; inventory: InventoryItemView[] }> {
		const d = devicesRepo.getDevice(db, id);
		const e = d ? enrollmentsRepo.getEnrollment(db, id, maId) : undefined;
		if (!d || !e || e.leftAt !== null || d.revokedAt !== null) return fail('not_found', 'device not found');
		return ok({ device: deviceView(d, e.enrolledAt, deps.relay().isOnline(id)), inventory: inventory.listForMa(id, maId) });
	}

	/** The MAs a device is enrolled with now (for authorisation of device-side requests). */
	function maIdsOf(deviceId: string): string[] {
		return enrollmentsRepo.activeMaIdsOfDevice(db, deviceId);
	}

	/** Checks the answer to a connection challenge. Unknown and revoked devices look the same. */
	function authenticate(deviceId: string, nonce: string, signature: string): Outcome<{ deviceId: string; maIds: string[] }> {
		const d = devicesRepo.getDevice(db, deviceId);
		if (!d || d.revokedAt !== null) return fail('device_unknown', 'this device is not known or was revoked');
		if (!verifyEd25519(d.publicKey, deviceAuthMessage(nonce, deviceId, deps.config().origin), signature)) {
			return fail('device_auth_failed', 'the signature over the challenge does not verify');
		}
		devicesRepo.touchDevice(db, deviceId, deps.clock());
		return ok({ deviceId, maIds: maIdsOf(deviceId) });
	}

	function touch(deviceId: string): void {
		devicesRepo.touchDevice(db, deviceId, deps.clock());
	}

	/** Reported device information; the baseline stays the enrolled one (SCOMO-HLFR-9). */
	function updateInfo(deviceId: string, info: DeviceInfoMsg): { baselineMatches: boolean } {
		const d = devicesRepo.getDevice(db, deviceId);
		if (!d) return { baselineMatches: false };
		devicesRepo.updateDeviceInfo(db, deviceId, {
			manufacturer: info.manufacturer,
			model: info.model,
			softwareVersion: info.softwareVersion
		});
		return { baselineMatches: d.baselineBuildId === info.baselineBuildId };
	}

	function baselineOf(deviceId: string): string | null {
		return devicesRepo.getDevice(db, deviceId)?.baselineBuildId ?? null;
	}

	return { list, get, maIdsOf, authenticate, touch, updateInfo, baselineOf };
}

export type DeviceService = ReturnType<typeof createDeviceService>;
