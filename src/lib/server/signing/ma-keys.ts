/**
 * The MAs' command-signing keys (SCOMO-SEC-01): Ed25519 (node:crypto signs, devices verify with WebCrypto),
 * the private half sealed under the master key in the database, created on first use. Rotation makes a new
 * current key and keeps the previous one valid for an overlap period: devices learn the new key from a
 * trust statement the old key signs too (trust.ts), and commands signed before the rotation still verify.
 */
import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import * as repo from '../db/repos/ma-signing-keys';
import type { Q } from '../db/repos/types';
import { newId } from '../ids';
import { openSecret, sealSecret } from './master-key';
import { MIN_ROTATION_OVERLAP_SECONDS } from '../../core/key-rotation';

export type { MaKeyRow } from '../db/repos/ma-signing-keys';
type MaKeyRow = repo.MaKeyRow;

export type KeyDeps = { db: Q; masterKey: () => Buffer; clock: () => number };

/** Default overlap after a rotation: long enough for every open operation (default TTL 7 days) to finish. */
export const DEFAULT_ROTATION_OVERLAP_MS = 7 * 24 * 3600 * 1000;

/**
 * The shortest overlap allowed: devices learn a new key only from a trust statement that arrives with a
 * command set, signed by the old key too. With no overlap (or a few minutes) every device that is offline
 * at the moment of rotation, or gets no command before the old key ends, can verify nothing afterwards
 * and must re-enroll. A day covers devices that connect daily; longer (the default) is better.
 */
export const MIN_ROTATION_OVERLAP_MS = MIN_ROTATION_OVERLAP_SECONDS * 1000;

const aadOf = (keyId: string, maId: string) => `scomo-ma-signing-key:v1:${maId}:${keyId}`;

export function createMaKeys(d: KeyDeps) {
	// Opened private keys by key ID: the AES-GCM open happens once per key per process, not per signature.
	const opened = new Map<string, KeyObject>();
	// The current key row per MA, briefly: a fan-out asks for it once per device. Rotation here clears it; a
	// rotation on another node is seen within the TTL (the old key stays valid through its overlap anyway).
	const CURRENT_TTL_MS = 5000;
	const currentCache = new Map<string, { row: MaKeyRow; at: number }>();

	const rows = (maId: string): MaKeyRow[] => repo.listMaKeys(d.db, maId);

	function insertKey(maId: string, now: number): MaKeyRow {
		const { publicKey, privateKey } = generateKeyPairSync('ed25519');
		const id = newId();
		const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
		const row: MaKeyRow = {
			id,
			maId,
			publicKey: String(publicKey.export({ format: 'jwk' }).x),
			sealedPrivateKey: sealSecret(d.masterKey(), pkcs8, aadOf(id, maId)),
			createdAt: now,
			validUntil: null
		};
		repo.insertMaKey(d.db, row);
		opened.set(id, privateKey);
		return row;
	}

	/** The MA's current key, created on first use. */
	function current(maId: string): MaKeyRow {
		const hit = currentCache.get(maId);
		const now = d.clock();
		if (hit && now - hit.at >= 0 && now - hit.at < CURRENT_TTL_MS) return hit.row;
		const row = currentFromDb(maId);
		currentCache.set(maId, { row, at: now });
		return row;
	}

	function currentFromDb(maId: string): MaKeyRow {
		const active = repo.listUnretiredMaKeys(d.db, maId).at(-1);
		return active ?? insertKey(maId, d.clock());
	}

	/** Keys devices should still accept now: the current one and rotated ones inside their overlap. */
	function valid(maId: string, now = d.clock()): MaKeyRow[] {
		current(maId);
		return rows(maId).filter((k) => k.validUntil === null || k.validUntil >= now);
	}

	function privateKeyOf(row: MaKeyRow): KeyObject {
		let key = opened.get(row.id);
		if (!key) {
			const der = openSecret(d.masterKey(), row.sealedPrivateKey, aadOf(row.id, row.maId));
			key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
			opened.set(row.id, key);
		}
		return key;
	}

	/** Ed25519 signature (base64url) of `message` with a given key row. */
	function signWith(row: MaKeyRow, message: string | Uint8Array): string {
		const bytes = typeof message === 'string' ? Buffer.from(message, 'utf8') : Buffer.from(message);
		return sign(null, bytes, privateKeyOf(row)).toString('base64url');
	}

	/** Signs with the MA's current key. */
	function signCurrent(maId: string, message: string | Uint8Array): { keyId: string; signature: string; publicKey: string } {
		const row = current(maId);
		return { keyId: row.id, signature: signWith(row, message), publicKey: row.publicKey };
	}

	/**
	 * A new current key; the previous one stays valid for `overlapMs` (devices accept both meanwhile).
	 * Returns the new key and the retiring one.
	 */
	function rotate(maId: string, requestedOverlapMs = DEFAULT_ROTATION_OVERLAP_MS): { current: MaKeyRow; retiring: MaKeyRow } {
		// Never shorter than the minimum, whoever calls (the REST route refuses shorter values with a reason).
		const overlapMs = Math.max(requestedOverlapMs, MIN_ROTATION_OVERLAP_MS);
		const now = d.clock();
		const old = currentFromDb(maId);
		currentCache.delete(maId);
		repo.retireMaKeys(d.db, maId, now + overlapMs);
		const next = insertKey(maId, now + 1);
		return { current: next, retiring: { ...old, validUntil: now + overlapMs } };
	}

	const byId = (keyId: string): MaKeyRow | undefined => repo.getMaKey(d.db, keyId);

	return { current, valid, signWith, signCurrent, rotate, byId, list: rows };
}

export type MaKeys = ReturnType<typeof createMaKeys>;
