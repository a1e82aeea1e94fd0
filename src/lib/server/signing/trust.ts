/**
 * The trust statement of an MA (SCOMO-SEC-01, SEC-02): which keys sign its commands, which administrator
 * passkeys may approve high-risk batches, and the high-risk policy. Devices pin it at enrollment and take a
 * newer one only when a key they already trust signed it, so a rotated-in key reaches devices signed by the
 * old key (every valid key signs the statement).
 *
 * The statement is rebuilt from the database and its sequence number grows only when its content changes.
 */
import { createHash } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { decodeCredentialPublicKey, cose } from '@simplewebauthn/server/helpers';
import { canonicalJson } from '../../core/envelope-canonical';
import { trustMessage, type AdminCredential, type SignedTrust, type TrustStatement } from '../../core/envelope';
import { maTrustStatements } from '../db/schema-security';
import { memberships, passkeys } from '../db/schema-auth';
import * as masRepo from '../db/repos/mas';
import type { Q } from '../db/repos/types';
import { parseMaSettings } from '../services/ma-settings';
import type { MaKeys } from './ma-keys';

/** Roles whose passkeys may approve operations (the ones allowed to operate, core/policy.ts). */
const APPROVER_ROLES = ['owner', 'operator'];

/**
 * A passkey's COSE public key as the device verifies it: ES256 (P-256 x, y) or EdDSA (Ed25519 x).
 * Null for algorithms devices do not verify (RS256): such a passkey cannot approve high-risk batches.
 */
export function adminCredentialOf(credentialId: string, coseKeyB64u: string): AdminCredential | null {
	try {
		const key = decodeCredentialPublicKey(new Uint8Array(Buffer.from(coseKeyB64u, 'base64url')));
		const alg = key.get(cose.COSEKEYS.alg);
		if (cose.isCOSEPublicKeyEC2(key) && alg === cose.COSEALG.ES256 && key.get(cose.COSEKEYS.crv) === cose.COSECRV.P256) {
			const x = key.get(cose.COSEKEYS.x);
			const y = key.get(cose.COSEKEYS.y);
			if (!x || !y) return null;
			return { credentialId, alg: -7, x: Buffer.from(x).toString('base64url'), y: Buffer.from(y).toString('base64url') };
		}
		if (cose.isCOSEPublicKeyOKP(key) && alg === cose.COSEALG.EdDSA && key.get(cose.COSEKEYS.crv) === cose.COSECRV.ED25519) {
			const x = key.get(cose.COSEKEYS.x);
			if (!x) return null;
			return { credentialId, alg: -8, x: Buffer.from(x).toString('base64url'), y: null };
		}
		return null;
	} catch {
		return null;
	}
}

export type TrustDeps = { db: Q; keys: MaKeys; clock: () => number; origin: () => string };

const digestOf = (content: unknown) => createHash('sha256').update(canonicalJson(content)).digest('base64url');

export function createTrust(d: TrustDeps) {
	// Rebuilt at most once per TTL per MA on hot paths (a fan-out to thousands of devices); every change this
	// module makes, and every approval, invalidates it at once.
	const CACHE_MS = 2000;
	const cache = new Map<string, { at: number; signed: SignedTrust }>();

	/** Passkeys of the MA's owners and operators that devices can verify. */
	function credentials(maId: string): AdminCredential[] {
		const admins = d.db
			.select({ adminId: memberships.adminId })
			.from(memberships)
			.where(and(eq(memberships.maId, maId), inArray(memberships.role, APPROVER_ROLES)))
			.all()
			.map((m) => m.adminId);
		if (admins.length === 0) return [];
		return d.db
			.select({ id: passkeys.id, publicKey: passkeys.publicKey })
			.from(passkeys)
			.where(inArray(passkeys.adminId, admins))
			.all()
			.map((p) => adminCredentialOf(p.id, p.publicKey))
			.filter((c): c is AdminCredential => c !== null)
			.sort((a, b) => a.credentialId.localeCompare(b.credentialId));
	}

	/** The MA's current signed statement; a new sequence number (and signatures) only when the content changed. */
	function current(maId: string): SignedTrust {
		const now = d.clock();
		const hit = cache.get(maId);
		if (hit && now - hit.at < CACHE_MS) return hit.signed;
		const ma = masRepo.getMa(d.db, maId);
		const settings = parseMaSettings(ma?.settings);
		const origin = d.origin();
		const keyRows = d.keys.valid(maId, now);
		const content = {
			maId,
			keys: keyRows.map((k) => ({ keyId: k.id, publicKey: k.publicKey, validUntil: k.validUntil })),
			policy: { kinds: settings.highRiskKinds, fanout: settings.highRiskFanout },
			credentials: credentials(maId),
			rp: { rpId: new URL(origin).hostname, origin }
		};
		const contentDigest = digestOf(content);
		const row = d.db.select().from(maTrustStatements).where(eq(maTrustStatements.maId, maId)).get();
		let signed: SignedTrust;
		if (row && row.contentDigest === contentDigest) {
			signed = JSON.parse(row.signed) as SignedTrust;
		} else {
			const statement: TrustStatement = { v: 1, seq: (row?.seq ?? 0) + 1, issuedAt: now, ...content };
			const message = trustMessage(statement);
			// Every valid key signs: a device that knows only the retiring key still accepts the new one.
			signed = { statement, signatures: keyRows.map((k) => ({ keyId: k.id, signature: d.keys.signWith(k, message) })) };
			const values = { maId, seq: statement.seq, contentDigest, signed: JSON.stringify(signed), issuedAt: now };
			if (row) d.db.update(maTrustStatements).set(values).where(eq(maTrustStatements.maId, maId)).run();
			else d.db.insert(maTrustStatements).values(values).run();
		}
		cache.set(maId, { at: now, signed });
		return signed;
	}

	return { current, credentials, invalidate: (maId: string) => void cache.delete(maId) };
}

export type Trust = ReturnType<typeof createTrust>;
