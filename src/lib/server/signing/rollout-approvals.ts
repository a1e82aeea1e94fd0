/**
 * Passkey approval of a staged rollout (issue #17, SCOMO-SEC-02): an administrator approves a high-risk
 * rollout ONCE, with their own passkey, over its definition (core/rollout-approval.ts); every batch the
 * rollout then sends carries the definition in its MA-signed header and this one assertion, and each device
 * checks both on its own (device/verify.ts). Same rules as batch approvals (approvals.ts): the one policy
 * decides who may approve, only passkeys the MA's devices already trust count, four eyes under the MA's
 * setting, the passkey counter moves, every attempt is audited.
 *
 * This module does not store the rollout: it returns the verified assertion, and the rollouts service keeps
 * it with the rollout and hands both to signing.prepareBatch for each batch.
 */
import { needsApproval as batchNeedsApproval, type AdminApproval } from '../../core/envelope';
import { rolloutApprovalChallenge, type RolloutDefinition } from '../../core/rollout-approval';
import { ok } from '../../core';
import { adminActor, getPasskey, listPasskeys, markPasskeyUsed, storedPasskey } from '../auth/accounts';
import { authorizeResource } from '../authz';
import * as masRepo from '../db/repos/mas';
import { needsFourEyes, parseMaSettings } from '../services/ma-settings';
import { relyingParty, verifyAuthentication } from '../auth/webauthn';
import type { Q } from '../db/repos/types';
import { audit } from '../services/audit';
import { fail, type Outcome } from '../services/errors';
import type { AuditActor } from '../services/deps';
import { nodeSha256 } from './envelopes';
import type { Trust } from './trust';
import type { AssertionResponse } from './assertion-response';

export type RolloutApprovalDeps = { db: Q; trust: Trust; clock: () => number; origin: () => string };

export function createRolloutApprovals(d: RolloutApprovalDeps) {
	/**
	 * Does this rollout need a passkey? As a batch would: a listed kind, or more devices than the MA's fan-out
	 * threshold, when the MA has approving passkeys. The count is the larger of the devices known now and
	 * maxDevices, so no batch of the rollout can need an approval the rollout did not ask for.
	 */
	function needsApproval(maId: string, def: RolloutDefinition, deviceCount: number): boolean {
		const leafCount = Math.max(deviceCount, def.maxDevices);
		return batchNeedsApproval({ operations: def.operations, leafCount }, d.trust.current(maId).statement);
	}

	/**
	 * The one policy decides who approves (core/policy.ts, kind 'rollout'); another MA's rollout is not_found
	 * (authz ownersOf looks the rollout up).
	 */
	const mayApprove = (maId: string, adminId: string, rolloutId: string) =>
		authorizeResource(d.db, { actor: adminActor(d.db, adminId), maId }, 'approve', 'rollout', rolloutId);

	/** A definition the devices would refuse is refused here first, before anyone touches a passkey. */
	function definitionProblem(maId: string, rolloutId: string, def: RolloutDefinition) {
		if (def.v !== 1 || def.maId !== maId || def.rolloutId !== rolloutId) return fail('invalid_request', 'the definition is not this rollout’s');
		if (def.operations.length === 0) return fail('invalid_request', 'the rollout has no steps');
		if (!Number.isInteger(def.maxDevices) || def.maxDevices < 1) return fail('invalid_request', 'maxDevices must be a positive whole number');
		if (def.notAfter <= d.clock()) return fail('invalid_request', 'the rollout’s approval would already have ended (notAfter is past)');
		return null;
	}

	const certified = (maId: string) => new Set(d.trust.current(maId).statement.credentials.map((c) => c.credentialId));

	/** Four eyes (H2), as for batches: under the MA's setting whoever created the rollout may not approve it. */
	function fourEyesProblem(maId: string, adminId: string, def: RolloutDefinition, createdBy: string) {
		const settings = parseMaSettings(masRepo.getMa(d.db, maId)?.settings);
		const policy = d.trust.current(maId).statement.policy;
		if (createdBy !== `admin:${adminId}` || !needsFourEyes(settings.fourEyes, def.maxDevices, policy.fanout)) return null;
		return fail('four_eyes_required', 'you created this rollout; under this MA’s four-eyes setting another owner or operator must approve it');
	}

	/** WebAuthn request options whose challenge is the definition's digest, for this administrator's trusted passkeys. */
	function options(maId: string, adminId: string, rolloutId: string, def: RolloutDefinition, createdBy: string) {
		const may = mayApprove(maId, adminId, rolloutId);
		if (!may.ok) return may;
		const bad = definitionProblem(maId, rolloutId, def);
		if (bad) return bad;
		const trusted = certified(maId);
		const allow = listPasskeys(d.db, adminId).filter((k) => trusted.has(k.id));
		if (allow.length === 0)
			return fail('forbidden', 'none of your passkeys is one the devices trust yet (an owner approves new passkeys under High-risk; ES256 or EdDSA only)');
		const fourEyes = fourEyesProblem(maId, adminId, def, createdBy);
		if (fourEyes) return fourEyes;
		return ok({
			challenge: rolloutApprovalChallenge(nodeSha256, def),
			rpId: relyingParty(d.origin()).rpID,
			timeout: 5 * 60 * 1000,
			userVerification: 'required' as const,
			allowCredentials: allow.map((k) => ({ id: k.id, type: 'public-key' as const, transports: storedPasskey(k).transports as never[] }))
		});
	}

	/**
	 * Verifies the administrator's assertion over the definition's digest and returns it, to be stored with the
	 * rollout and attached to each of its batches (signing.prepareBatch). Audited as rollout.approve.
	 */
	async function approve(
		maId: string,
		actor: AuditActor & { type: 'admin' },
		rolloutId: string,
		def: RolloutDefinition,
		createdBy: string,
		response: AssertionResponse
	): Promise<Outcome<AdminApproval>> {
		const may = mayApprove(maId, actor.id, rolloutId);
		if (!may.ok) return may;
		const bad = definitionProblem(maId, rolloutId, def);
		if (bad) return bad;
		const denied = (reason: string) =>
			audit(d.db, d.clock(), { maId, actor, action: 'rollout.approve', targetType: 'rollout', targetId: rolloutId, outcome: 'denied', detail: { reason } });
		const fourEyes = fourEyesProblem(maId, actor.id, def, createdBy);
		if (fourEyes) {
			denied('four_eyes_required');
			return fourEyes;
		}
		const passkey = getPasskey(d.db, response.id);
		if (!passkey || passkey.adminId !== actor.id) return fail('forbidden', 'this passkey is not one of yours');
		if (!certified(maId).has(passkey.id))
			return fail('forbidden', 'this passkey is not one the devices trust yet; an owner must approve it first (High-risk page)');
		const challenge = rolloutApprovalChallenge(nodeSha256, def);
		const verified = await verifyAuthentication(relyingParty(d.origin()), response as never, challenge, storedPasskey(passkey));
		if (!verified) {
			denied('assertion_invalid');
			return fail('forbidden', 'the passkey assertion does not verify for this rollout');
		}
		const now = d.clock();
		const assertion: AdminApproval = {
			credentialId: passkey.id,
			authenticatorData: response.response.authenticatorData,
			clientDataJSON: response.response.clientDataJSON,
			signature: response.response.signature
		};
		d.db.transaction((tx) => {
			markPasskeyUsed(tx, passkey.id, verified.newCounter, now);
			audit(tx, now, {
				maId,
				actor,
				action: 'rollout.approve',
				targetType: 'rollout',
				targetId: rolloutId,
				outcome: 'ok',
				detail: {
					credentialId: passkey.id,
					challenge,
					maxDevices: def.maxDevices,
					notAfter: def.notAfter,
					target: def.target,
					kinds: def.operations.map((o) => o.kind)
				}
			});
		});
		// Devices must learn this credential with the commands it approves.
		d.trust.invalidate(maId);
		return ok(assertion);
	}

	return { needsApproval, options, approve };
}

export type RolloutApprovals = ReturnType<typeof createRolloutApprovals>;
