/**
 * Passkey approval of a staged rollout (issue #17, SCOMO-SEC-02): an administrator approves a high-risk
 * rollout ONCE, over its definition, and the rollout then reaches its devices in many batches (phases,
 * scheduler ticks, retries, devices that join later). Each batch is still signed by the MA key and carries
 * the definition in its header; the device checks, on its own, that the passkey signed this definition and
 * that the batch runs exactly the definition's steps, for the same MA, before notAfter (rolloutProblem).
 *
 * The challenge is domain-separated from batch approvals ('scomo-rollout-approval:v1:' vs
 * 'scomo-approval:v1:'), so an assertion over one can never be presented as the other.
 *
 * What the device cannot check: `target` is words for the administrator, and `maxDevices` counts devices the
 * device never sees; the server enforces both (docs/security.md, "Rollout approvals").
 */
import { canonicalJson } from './envelope-canonical';
import { b64u, utf8 } from './envelope-bytes';
import type { BatchHeader, EnvelopeOperation } from './envelope';
import type { Sha256 } from './merkle-sha256';
import type { ConsentMode } from './states';

/** What the administrator's passkey approves for a rollout (and every batch header of it carries). */
export type RolloutDefinition = {
	v: 1;
	maId: string;
	rolloutId: string;
	/** Random per definition: approving a re-created rollout with the same content is a new approval. */
	nonce: string;
	operations: EnvelopeOperation[];
	consentMode: ConsentMode;
	intent: string;
	/** No batch of the rollout may be issued or stay valid after this (epoch ms). */
	notAfter: number;
	/** The target in words, as the administrator saw it when approving (a group, a filter). */
	target: string;
	/** The most devices the rollout may reach in all (the server counts; one batch may not exceed it). */
	maxDevices: number;
};

/** The WebAuthn challenge of a rollout approval: the digest of its definition (base64url). */
export const rolloutApprovalChallenge = (sha256: Sha256, def: RolloutDefinition) =>
	b64u(sha256(utf8(`scomo-rollout-approval:v1:${canonicalJson(def)}`)));

/**
 * Does this signed batch header stay within the rollout definition it carries? Null when it does; else what
 * is wrong. The passkey check itself is the caller's (the device with WebAuthn bytes and WebCrypto).
 */
export function rolloutProblem(header: BatchHeader, def: RolloutDefinition): string | null {
	if (def.v !== 1) return 'the rollout definition has an unknown version';
	if (def.maId !== header.maId) return 'the rollout was approved for another MA';
	if (header.consentMode !== def.consentMode || header.intent !== def.intent) return 'the batch’s consent mode or intent differs from the approved rollout';
	if (canonicalJson(header.operations) !== canonicalJson(def.operations)) return 'the batch’s operations differ from the approved rollout';
	if (header.issuedAt > def.notAfter || header.expiresAt > def.notAfter) return 'the batch was issued or stays valid after the rollout approval ends';
	// The one bound on device count a device can check: no single batch reaches more than the whole rollout may.
	if (header.leafCount > def.maxDevices) return 'the batch addresses more devices than the approved rollout may reach';
	return null;
}
