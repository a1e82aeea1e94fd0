/**
 * Results signed by the device key (SCOMO-SEC-02): the server records an OperationComplete only when the
 * device's registered Ed25519 key signed it (core resultMessage), so nobody else can report in its name,
 * even on a hijacked connection.
 */
import { resultMessage } from '../../core/envelope';
import type { OperationResultMsg } from '../../contract';
import * as devicesRepo from '../db/repos/devices';
import type { Q } from '../db/repos/types';
import { verifyEd25519 } from '../services/ed25519';

export function verifyDeviceResult(db: Q, deviceId: string, result: OperationResultMsg): boolean {
	if (!result.signature) return false;
	const device = devicesRepo.getDevice(db, deviceId);
	if (!device || device.revokedAt !== null) return false;
	return verifyEd25519(device.publicKey, resultMessage(deviceId, result as unknown as Record<string, unknown>), result.signature);
}
