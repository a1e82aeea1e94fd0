/**
 * Enrollment: an MA's one-time codes, and a device registering its key with an MA through one.
 * Only the SHA-256 of a code is stored; a code works once, before its expiry, unless revoked.
 * A device may enroll with several MAs; its baseline is the one of its first enrollment (SCOMO-HLFR-9).
 */
import { enrollProofMessage, type EnrollRequestBody, type EnrollResponse } from '../../contract';
import { ok } from '../../core';
import { nameFromLabel } from '../../core/device-identity';
import { hashSecret, newId, newSecret } from '../ids';
import * as codes from '../db/repos/enrollment-codes';
import * as devices from '../db/repos/devices';
import * as enrollments from '../db/repos/enrollments';
import * as mas from '../db/repos/mas';
import { audit } from './audit';
import { fail, type Outcome } from './errors';
import { badCursor, clampLimit, decodeCursor, pageOf, type Page, type PageQuery } from './keyset-cursor';
import { verifyEd25519, ed25519PublicKey } from './ed25519';
import { parseEncryptionKey } from '../package-crypto/device-encryption-key';
import { enrollmentCodeView, type EnrollmentCodeView } from './views';
import type { AuditActor, ServiceDeps } from './deps';
import type { Q } from '../db/repos/types';

// Thrown inside the transaction to roll it back when another enrollment used the code first.
const CODE_RACED = Symbol('enrollment code raced');

export type CreatedEnrollmentCode = { id: string; code: string; expiresAt: number; link: string };

/**
 * `supersedeDecommission`: a device enrolling again with an MA that decommissioned it voids the decommission it
 * has not acked yet (services/decommission.ts); it would not verify on the device anyway (another enrollment).
 */
export function createEnrollmentService(deps: ServiceDeps, supersedeDecommission: (q: Q, deviceId: string, maId: string, at: number) => void = () => {}) {
	const { db } = deps;

	function create(
		maId: string,
		actor: AuditActor,
		input: { label: string; expiresInSeconds: number }
	): Outcome<CreatedEnrollmentCode> {
		const now = deps.clock();
		const code = newSecret(15);
		const id = newId();
		const expiresAt = now + input.expiresInSeconds * 1000;
		db.transaction((tx) => {
			codes.insertEnrollmentCode(tx, {
				id,
				maId,
				codeHash: hashSecret(code),
				label: input.label,
				createdAt: now,
				expiresAt
			});
			audit(tx, now, { maId, actor, action: 'enrollment-code.create', targetType: 'enrollment-code', targetId: id, outcome: 'ok' });
		});
		const link = `${deps.config().origin}/device/enroll?code=${encodeURIComponent(code)}`;
		return ok({ id, code, expiresAt, link });
	}

	/** One keyset page of the MA's codes, newest first, and the total. */
	function page(maId: string, query: PageQuery): Outcome<Page<EnrollmentCodeView>> {
		const after = query.cursor ? decodeCursor(query.cursor, ['int', 'text']) : null;
		if (query.cursor && !after) return badCursor();
		const limit = clampLimit(query.limit);
		const p = pageOf(codes.listEnrollmentCodePage(db, maId, after && { createdAt: after[0], id: after[1] }, limit + 1), limit, (r) => [r.createdAt, r.id]);
		return ok({ items: p.rows.map(enrollmentCodeView), nextCursor: p.nextCursor, total: codes.countEnrollmentCodes(db, maId) });
	}

	/** The MA that owns a code, for authorisation (null = no such code). */
	function ownerOf(id: string): string | null {
		return codes.getEnrollmentCode(db, id)?.maId ?? null;
	}

	function revoke(maId: string, actor: AuditActor, id: string): Outcome<void> {
		const row = codes.getEnrollmentCode(db, id);
		if (!row || row.maId !== maId) return fail('not_found', 'enrollment code not found');
		const now = deps.clock();
		db.transaction((tx) => {
			codes.revokeEnrollmentCode(tx, id, now);
			audit(tx, now, { maId, actor, action: 'enrollment-code.revoke', targetType: 'enrollment-code', targetId: id, outcome: 'ok' });
		});
		return ok(undefined);
	}

	/** A device enrolls: proof of its key, then device + enrollment + used code in one transaction. */
	function enroll(req: EnrollRequestBody): Outcome<EnrollResponse> {
		const now = deps.clock();
		// One stable code; the issue says which case it is (unknown, used, revoked, expired), so the device can
		// tell its user what to do. Only someone holding the code learns its state, which is no secret to them.
		const invalidCode = (reason: 'unknown' | 'used' | 'revoked' | 'expired') =>
			fail('enrollment_code_invalid', `the enrollment code is ${reason === 'unknown' ? 'unknown' : reason === 'used' ? 'already used' : reason}`, [{ path: 'code', message: reason }]);
		const code = codes.getEnrollmentCodeByHash(db, hashSecret(req.code));
		if (!code) return invalidCode('unknown');
		if (code.usedAt !== null) return invalidCode('used');
		if (code.revokedAt !== null) return invalidCode('revoked');
		if (code.expiresAt <= now) return invalidCode('expired');
		if (!ed25519PublicKey(req.publicKey)) return fail('invalid_request', 'publicKey must be a raw 32-byte Ed25519 key, base64url');
		// SCOMO-SEC-03: packages will be sealed to this key, so it must be a real P-256 point.
		if (req.encryptionKey !== undefined && !parseEncryptionKey(req.encryptionKey)) {
			return fail('invalid_request', 'encryptionKey must be a raw uncompressed P-256 public key, base64url');
		}
		if (!verifyEd25519(req.publicKey, enrollProofMessage(req.code, req.publicKey), req.proof)) {
			return fail('device_auth_failed', 'the proof does not verify with the public key');
		}

		// The key identifies the device: a given deviceId must carry the same key.
		const byKey = devices.getDeviceByPublicKey(db, req.publicKey);
		if (req.deviceId) {
			const byId = devices.getDevice(db, req.deviceId);
			if (byId && byId.publicKey !== req.publicKey) return fail('device_auth_failed', 'this device ID is registered with another key');
		}
		if (byKey?.revokedAt != null) return fail('device_unknown', 'this device was revoked');

		const ma = mas.getMa(db, code.maId);
		if (!ma) return invalidCode('unknown');

		try {
			return db.transaction((tx) => enrollInTx(tx, req, code, ma, byKey, now));
		} catch (e) {
			if (e === CODE_RACED) return invalidCode('used');
			throw e;
		}
	}

	function enrollInTx(
		tx: Q,
		req: EnrollRequestBody,
		code: { id: string; label: string },
		ma: { id: string; name: string },
		byKey: devices.DeviceRow | undefined,
		now: number
	): Outcome<EnrollResponse> {
		{
			let device = byKey;
			if (!device) {
				const id = newId();
				devices.insertDevice(tx, {
					id,
					publicKey: req.publicKey,
					keyAlgorithm: req.keyAlgorithm,
					manufacturer: req.info.manufacturer,
					model: req.info.model,
					// SCOMO-HLFR-9: written here once, never updated afterwards.
					baselineBuildId: req.info.baselineBuildId,
					softwareVersion: req.info.softwareVersion,
					kind: req.info.kind,
					encryptionKey: req.encryptionKey ?? null,
					createdAt: now
				});
				device = devices.getDevice(tx, id)!;
			} else {
				devices.updateDeviceInfo(tx, device.id, {
					manufacturer: req.info.manufacturer,
					model: req.info.model,
					softwareVersion: req.info.softwareVersion
				});
				// A device that proved its identity key may register (or renew) its encryption key.
				if (req.encryptionKey) devices.setDeviceEncryptionKey(tx, device.id, req.encryptionKey);
			}
			// Single use even under a race: only the first transaction flips usedAt.
			const codeId = code.id;
			if (codes.markEnrollmentCodeUsed(tx, codeId, device.id, now).changes === 0) throw CODE_RACED;
			// The label the administrator gave the code ("Lobby kiosk") becomes the device's name in this MA.
			const name = nameFromLabel(code.label);
			const existing = enrollments.getEnrollment(tx, device.id, ma.id);
			if (!existing) enrollments.insertEnrollment(tx, { deviceId: device.id, maId: ma.id, enrolledAt: now, name });
			else if (existing.leftAt !== null) {
				enrollments.reactivateEnrollment(tx, device.id, ma.id, now, name || existing.name);
				supersedeDecommission(tx, device.id, ma.id, now);
			}
			// The device pins the time of this enrollment: a decommission names the one it ends (core/decommission.ts).
			const enrolledAt = enrollments.getEnrollment(tx, device.id, ma.id)!.enrolledAt;
			audit(tx, now, {
				maId: ma.id,
				actor: { type: 'device', id: device.id },
				action: 'device.enroll',
				targetType: 'device',
				targetId: device.id,
				outcome: 'ok',
				detail: { codeId, reportedBaseline: req.info.baselineBuildId, baseline: device.baselineBuildId }
			});
			return ok({ deviceId: device.id, ma: { id: ma.id, name: ma.name }, baselineBuildId: device.baselineBuildId, enrolledAt });
		}
	}

	return { create, page, ownerOf, revoke, enroll };
}

export type EnrollmentService = ReturnType<typeof createEnrollmentService>;
