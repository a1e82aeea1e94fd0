/**
 * The trust statement of an MA (SCOMO-SEC-01, SEC-02): which keys sign its commands, which administrator
 * passkeys may approve high-risk batches, and the high-risk policy. Devices pin it at enrollment and take a
 * newer one only when a key they already trust signed it, so a rotated-in key reaches devices signed by the
 * old key (every valid key signs the statement).
 *
 * The statement is rebuilt from the database and its sequence number grows only when its content changes.
 * But the database is not trusted with the approvers (H1, core/trust-grant.ts): once a statement with
 * approving passkeys was issued, its credentials, RP and any weakening of its policy change only through a
 * grant an owner co-signed with a passkey of the previous grant (trust-changes.ts). Rows written behind the
 * server's back (a rogue passkey, highRiskKinds = []) therefore change nothing here, and the devices refuse
 * such a statement even from a server that signs it anyway.
 */
import { createHash } from 'node:crypto';
import { decodeCredentialPublicKey, cose } from '@simplewebauthn/server/helpers';
import { canonicalJson } from '../../core/envelope-canonical';
import { trustMessage, type AdminCredential, type HighRiskPolicy, type SignedTrust, type TrustGrant, type TrustLink, type TrustStatement } from '../../core/envelope';
import { grantOf, MAX_TRUST_LINKS, policyWeakens } from '../../core/trust-grant';
import * as trustRepo from '../db/repos/trust';
import * as membershipsRepo from '../db/repos/memberships';
import * as passkeysRepo from '../db/repos/passkeys';
import * as masRepo from '../db/repos/mas';
import type { Q } from '../db/repos/types';
import { parseMaSettings } from '../services/ma-settings';
import type { MaKeys } from './ma-keys';
import { rolesAllowed } from '../../core/policy';

/** Roles whose passkeys may approve high-risk batches: read off the one policy table (core/policy.ts). */
const APPROVER_ROLES = rolesAllowed('approve', 'batch');

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

/** How far above its own sequence number the server follows a device's report (database restore). */
export const MAX_SEQ_JUMP = 1_000_000;

const digestOf = (content: unknown) => createHash('sha256').update(canonicalJson(content)).digest('base64url');

export function createTrust(d: TrustDeps) {
	// Rebuilt at most once per TTL per MA on hot paths (a fan-out to thousands of devices); every change this
	// module makes, and every approval, invalidates it at once.
	const CACHE_MS = 2000;
	const cache = new Map<string, { at: number; signed: SignedTrust }>();

	/** Passkeys of the MA's owners and operators that devices can verify. */
	function credentials(maId: string): AdminCredential[] {
		const admins = membershipsRepo.adminIdsWithRole(d.db, maId, APPROVER_ROLES);
		return passkeysRepo
			.listPasskeysOfAdmins(d.db, admins)
			.map((p) => adminCredentialOf(p.id, p.publicKey))
			.filter((c): c is AdminCredential => c !== null)
			.sort((a, b) => a.credentialId.localeCompare(b.credentialId));
	}

	/** What the database says the guarded part should be (not trusted on its own once approvers are pinned). */
	function desired(maId: string): { policy: HighRiskPolicy; credentials: AdminCredential[]; rp: TrustStatement['rp'] } {
		const settings = parseMaSettings(masRepo.getMa(d.db, maId)?.settings);
		const origin = d.origin();
		return {
			policy: { kinds: settings.highRiskKinds, fanout: settings.highRiskFanout },
			credentials: credentials(maId),
			rp: { rpId: new URL(origin).hostname, origin }
		};
	}

	/** The passkey-approved grants of the MA, oldest first (the most recent MAX_TRUST_LINKS). */
	function links(maId: string): TrustLink[] {
		return trustRepo
			.listRecentTrustGrants(d.db, maId, MAX_TRUST_LINKS)
			.reverse()
			.map((r) => ({ grant: JSON.parse(r.grant) as TrustGrant, approval: JSON.parse(r.approval) as TrustLink['approval'] }));
	}

	const issuedRow = (maId: string) => trustRepo.getTrustStatement(d.db, maId);

	/**
	 * The guarded part the server may issue now: the latest approved grant or last issued statement, with a
	 * stricter policy from the settings taken at once; before any approver was pinned, whatever the database
	 * says (trust on first use, as at enrollment).
	 */
	function guarded(maId: string, issued: TrustStatement | null, approved: TrustLink[]): Omit<TrustGrant, 'v' | 'maId'> {
		const want = desired(maId);
		let base: Omit<TrustGrant, 'v'> | null = issued ? grantOf(issued) : null;
		const latest = approved.at(-1)?.grant;
		if (latest && (!base || latest.epoch > base.epoch)) base = latest;
		if (!base || base.credentials.length === 0) return { epoch: base?.epoch ?? 0, ...want };
		return {
			epoch: base.epoch,
			credentials: base.credentials,
			rp: base.rp,
			policy: policyWeakens(base.policy, want.policy) ? base.policy : want.policy
		};
	}

	/** The MA's current signed statement; a new sequence number (and signatures) only when the content changed. */
	function current(maId: string): SignedTrust {
		const now = d.clock();
		const hit = cache.get(maId);
		if (hit && now - hit.at < CACHE_MS) return hit.signed;
		const keyRows = d.keys.valid(maId, now);
		const row = issuedRow(maId);
		const issued = row ? (JSON.parse(row.signed) as SignedTrust).statement : null;
		const approved = links(maId);
		const g = guarded(maId, issued, approved);
		const content = {
			maId,
			keys: keyRows.map((k) => ({ keyId: k.id, publicKey: k.publicKey, validUntil: k.validUntil })),
			policy: g.policy,
			credentials: g.credentials,
			rp: g.rp,
			...(g.epoch > 0 ? { epoch: g.epoch } : {})
		};
		const contentDigest = digestOf(content);
		let signed: SignedTrust;
		if (row && row.contentDigest === contentDigest) {
			signed = JSON.parse(row.signed) as SignedTrust;
		} else {
			const statement: TrustStatement = { v: 1, seq: (row?.seq ?? 0) + 1, issuedAt: now, ...content };
			const message = trustMessage(statement);
			// Every valid key signs: a device that knows only the retiring key still accepts the new one.
			signed = { statement, signatures: keyRows.map((k) => ({ keyId: k.id, signature: d.keys.signWith(k, message) })) };
			const values = { maId, seq: statement.seq, contentDigest, signed: JSON.stringify(signed), issuedAt: now };
			if (row) trustRepo.updateTrustStatement(d.db, maId, values);
			else trustRepo.insertTrustStatement(d.db, values);
		}
		// The approvals a device that missed some changes walks (each signed by a passkey, not by the server).
		if (approved.length > 0) signed = { ...signed, links: approved };
		cache.set(maId, { at: now, signed });
		return signed;
	}

	/**
	 * A device reports the sequence number it pinned (device:info). After a database restore the server's is
	 * lower and devices would ignore every new statement: continue above theirs. The jump is bounded, so a
	 * device cannot push the number out of range.
	 */
	function observeDeviceSeq(maId: string, seq: number): boolean {
		const row = issuedRow(maId) ?? (current(maId), issuedRow(maId));
		if (!row || seq <= row.seq || seq > row.seq + MAX_SEQ_JUMP) return false;
		// Forget the digest so the next statement is issued afresh, numbered above the device's.
		trustRepo.updateTrustStatement(d.db, maId, { seq, contentDigest: '' });
		cache.delete(maId);
		return true;
	}

	return { current, credentials, desired, links, observeDeviceSeq, invalidate: (maId: string) => void cache.delete(maId) };
}

export type Trust = ReturnType<typeof createTrust>;
