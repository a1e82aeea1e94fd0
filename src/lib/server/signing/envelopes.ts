/**
 * Signing command batches (SCOMO-SEC-01) with ONE signature per fan-out: the batch header names the
 * operations and the Merkle root over one leaf per device (device ID + its correlators); each device gets
 * its leaf and inclusion proof with the command set. Signing cost is one Ed25519 signature plus ~2n SHA-256
 * per batch, whatever the fleet size; each delivery adds a log2(n) proof.
 *
 * High-risk batches (MA policy, core needsApproval) are stored 'pending' and never relayed until an
 * administrator's passkey approves them (approvals.ts). A staged rollout's batches carry the rollout's
 * definition and are stored approved with the passkey assertion over it (rollout-approvals.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import {
	envelopeMessage,
	envelopeOperation,
	leafBytes,
	needsApproval,
	type AdminApproval,
	type BatchHeader,
	type EnvelopeLeaf,
	type SignedEnvelope,
	type EnvelopeOperation
} from '../../core/envelope';
import { merkleLevels, merkleProof, merkleRootOf } from '../../core/merkle';
import { canonicalJson } from '../../core/envelope-canonical';
import { rolloutApprovalChallenge, rolloutProblem, type RolloutDefinition } from '../../core/rollout-approval';
import { checkAssertion } from '../../core/webauthn-assertion';
import { ok } from '../../core';
import { getPasskey } from '../auth/accounts';
import { fail, type Outcome } from '../services/errors';
import type { ConsentMode, OperationKind } from '../../core';
import type { CommandSetMsg, SignedTrustMsg } from '../../contract';
import * as envelopesRepo from '../db/repos/batch-envelopes';
import { listOperationsOfBatch } from '../db/repos/operations';
import * as masRepo from '../db/repos/mas';
import * as pkgs from '../db/repos/packages';
import type { OperationRow } from '../db/repos/operations';
import type { Q } from '../db/repos/types';
import type { MaKeys } from './ma-keys';
import type { Trust } from './trust';

export type { EnvelopeRow } from '../db/repos/batch-envelopes';
type EnvelopeRow = envelopesRepo.EnvelopeRow;
export type ApprovalState = 'not-required' | 'pending' | 'approved';

/** node:crypto SHA-256 for the server's share of hashing (a whole fleet's leaves). */
export const nodeSha256 = (bytes: Uint8Array) => new Uint8Array(createHash('sha256').update(bytes).digest());

type Tree = { levels: Uint8Array[][]; leaves: EnvelopeLeaf[]; index: Map<string, number> };
type Cached = { row: EnvelopeRow; header: BatchHeader; tree: Tree };

/** Batches whose tree stays in memory (a fan-out is delivered to its online devices right after creation). */
const TREE_CACHE = 32;

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** One leaf per device, sorted by device ID; each device's correlators in batch order (seq). */
export function batchLeaves(rows: readonly Pick<OperationRow, 'deviceId' | 'correlator' | 'seq'>[]): EnvelopeLeaf[] {
	const byDevice = new Map<string, { correlator: string; seq: number }[]>();
	for (const r of rows) {
		const list = byDevice.get(r.deviceId);
		if (list) list.push(r);
		else byDevice.set(r.deviceId, [r]);
	}
	return [...byDevice.keys()].sort(byCodeUnits).map((deviceId) => ({
		deviceId,
		correlators: byDevice
			.get(deviceId)!
			.sort((a, b) => a.seq - b.seq)
			.map((r) => r.correlator)
	}));
}

function treeOf(leaves: EnvelopeLeaf[]): Tree {
	return {
		levels: merkleLevels(nodeSha256, leaves.map(leafBytes)),
		leaves,
		index: new Map(leaves.map((l, i) => [l.deviceId, i]))
	};
}

/** One device's operations of a batch, in batch order. */
const stepsOf = (rows: readonly OperationRow[], deviceId: string) => rows.filter((r) => r.deviceId === deviceId).sort((a, b) => a.seq - b.seq);

/**
 * Does every device of the batch get the same steps in the same order? The header names one device's steps
 * for all; one pass over the rows (a rollout batch may reach thousands of devices).
 */
function sameStepsEverywhere(rows: readonly OperationRow[]): boolean {
	const byDevice = new Map<string, OperationRow[]>();
	for (const r of rows) byDevice.set(r.deviceId, [...(byDevice.get(r.deviceId) ?? []), r]);
	let first: string | null = null;
	for (const list of byDevice.values()) {
		const key = canonicalJson(list.sort((a, b) => a.seq - b.seq).map((r) => [r.kind, r.componentId, r.targetVersion, r.packageVersionId]));
		if ((first ??= key) !== key) return false;
	}
	return true;
}

/** A staged rollout's definition and its passkey approval, for each of its batches (rollout-approvals.ts). */
/** A step as the envelope names it (an operation row's fields). */
export type StepRef = { kind: string; componentId: string | null; packageVersionId: string | null; targetVersion: string | null };

export type RolloutBatch = { definition: RolloutDefinition; approval: AdminApproval };

export type EnvelopeDeps = { db: Q; keys: MaKeys; trust: Trust; clock: () => number };

export function createEnvelopes(d: EnvelopeDeps) {
	const cache = new Map<string, Cached>();

	const remember = (batchId: string, c: Cached) => {
		cache.delete(batchId);
		cache.set(batchId, c);
		while (cache.size > TREE_CACHE) cache.delete(cache.keys().next().value!);
	};

	const rowsOfBatch = (batchId: string): OperationRow[] => listOperationsOfBatch(d.db, batchId);

	const getRow = (batchId: string): EnvelopeRow | undefined => envelopesRepo.getEnvelope(d.db, batchId);

	/** The header of a new batch over its rows: the steps are the first device's, the expiry the earliest. */
	/** The signed form of a batch's steps: kinds, components, versions and package digests. */
	function operationsOf(
		steps: readonly StepRef[],
		versions = new Map(pkgs.getPackageVersionsByIds(d.db, [...new Set(steps.map((s) => s.packageVersionId).filter((x): x is string => x !== null))]).map((v) => [v.id, v]))
	): EnvelopeOperation[] {
		return steps.map((s) => {
			const v = s.packageVersionId ? versions.get(s.packageVersionId) : undefined;
			return envelopeOperation(
				nodeSha256,
				{ kind: s.kind as OperationKind, componentId: s.componentId, version: s.targetVersion },
				v ? { versionId: v.id, sha256: v.bundleSha256, size: v.bundleSize, manifest: JSON.parse(v.manifest) as unknown } : null
			);
		});
	}

	function headerOf(batchId: string, rows: readonly OperationRow[], ma: { id: string; name: string }, leaves: EnvelopeLeaf[], tree: Tree): BatchHeader {
		const first = rows[0]!;
		// The steps are the same for every device of a batch: take them from the first device's operations.
		const steps = stepsOf(rows, leaves[0]!.deviceId);
		const versionIds = [...new Set(steps.map((s) => s.packageVersionId).filter((x): x is string => x !== null))];
		const versions = new Map(pkgs.getPackageVersionsByIds(d.db, versionIds).map((v) => [v.id, v]));
		return {
			v: 1,
			maId: ma.id,
			maName: ma.name.slice(0, 120),
			batchId,
			nonce: randomBytes(18).toString('base64url'),
			issuedAt: d.clock(),
			expiresAt: Math.min(...rows.map((r) => r.expiresAt)),
			consentMode: first.consentMode as ConsentMode,
			intent: first.intent.slice(0, 500),
			operations: operationsOf(steps, versions),
			root: Buffer.from(merkleRootOf(tree.levels)).toString('base64url'),
			leafCount: leaves.length
		};
	}

	function store(header: BatchHeader, tree: Tree, approval: ApprovalState, approved: { assertion: AdminApproval; by: string | null } | null) {
		const signed = d.keys.signCurrent(header.maId, envelopeMessage(header));
		const row: EnvelopeRow = {
			batchId: header.batchId,
			maId: header.maId,
			header: JSON.stringify(header),
			keyId: signed.keyId,
			signature: signed.signature,
			approval,
			assertion: approved ? JSON.stringify(approved.assertion) : null,
			approvedBy: approved?.by ?? null,
			approvedAt: approved ? d.clock() : null,
			createdAt: d.clock()
		};
		envelopesRepo.insertEnvelope(d.db, row);
		remember(header.batchId, { row, header, tree });
	}

	/**
	 * Signs a batch once: header, Merkle root, MA signature, and whether a passkey must approve it first.
	 * `rows` are every operation of the batch (all devices); read from the database when omitted.
	 *
	 * With `rollout` (a staged rollout's batch, issue #17): the header carries the rollout's definition and
	 * the batch is stored approved with the rollout's passkey assertion, so it relays at once; refused (an
	 * error value, nothing stored) when the batch does not stay within the definition, since every device
	 * would refuse it (core rolloutProblem).
	 */
	function prepare(batchId: string, given?: readonly OperationRow[]): { approval: ApprovalState } | null;
	function prepare(batchId: string, given: readonly OperationRow[] | undefined, rollout: RolloutBatch): Outcome<{ approval: ApprovalState }>;
	function prepare(batchId: string, given?: readonly OperationRow[], rollout?: RolloutBatch): { approval: ApprovalState } | null | Outcome<{ approval: ApprovalState }> {
		if (rollout) return prepareRollout(batchId, given, rollout);
		const existing = getRow(batchId);
		if (existing) return { approval: existing.approval as ApprovalState };
		const rows = given ?? rowsOfBatch(batchId);
		const first = rows[0];
		if (!first) return null;
		const ma = masRepo.getMa(d.db, first.maId);
		if (!ma) return null;
		const leaves = batchLeaves(rows);
		const tree = treeOf(leaves);
		const header = headerOf(batchId, rows, ma, leaves, tree);
		const approval: ApprovalState = needsApproval(header, d.trust.current(ma.id).statement) ? 'pending' : 'not-required';
		store(header, tree, approval, null);
		return { approval };
	}

	function prepareRollout(batchId: string, given: readonly OperationRow[] | undefined, rollout: RolloutBatch): Outcome<{ approval: ApprovalState }> {
		const def = rollout.definition;
		const existing = getRow(batchId);
		if (existing) {
			const had = (JSON.parse(existing.header) as BatchHeader).rollout;
			if (had && canonicalJson(had) === canonicalJson(def)) return ok({ approval: existing.approval as ApprovalState });
			return fail('conflict', 'this batch was already signed without this rollout definition');
		}
		const rows = given ?? rowsOfBatch(batchId);
		const first = rows[0];
		if (!first) return fail('not_found', 'the batch has no operations');
		const ma = masRepo.getMa(d.db, first.maId);
		if (!ma || rows.some((r) => r.maId !== ma.id) || def.maId !== ma.id) return fail('not_found', 'the batch and the rollout are not of the same MA');
		const leaves = batchLeaves(rows);
		if (!sameStepsEverywhere(rows)) return fail('conflict', 'the devices of a rollout batch must all get the same steps');
		const tree = treeOf(leaves);
		const header: BatchHeader = { ...headerOf(batchId, rows, ma, leaves, tree), rollout: def };
		const outside = rolloutProblem(header, def);
		if (outside) return fail('conflict', `the batch is not covered by the rollout approval: ${outside}`);
		// The devices check the assertion again with the signature; this refuses a wrong one early.
		const trust = d.trust.current(ma.id).statement;
		if (!trust.credentials.some((c) => c.credentialId === rollout.approval.credentialId))
			return fail('forbidden', 'the rollout was approved with a passkey the devices do not trust (any more)');
		const checked = checkAssertion(nodeSha256, rollout.approval, { challenge: rolloutApprovalChallenge(nodeSha256, def), origin: trust.rp.origin, rpId: trust.rp.rpId });
		if (!checked.ok) return fail('forbidden', `the rollout approval does not answer this definition: ${checked.error}`);
		store(header, tree, 'approved', { assertion: rollout.approval, by: getPasskey(d.db, rollout.approval.credentialId)?.adminId ?? null });
		return ok({ approval: 'approved' });
	}

	function load(batchId: string): Cached | null {
		const hit = cache.get(batchId);
		if (hit) return hit;
		if (!getRow(batchId) && !prepare(batchId)) return null;
		const row = getRow(batchId);
		if (!row) return null;
		const c = { row, header: JSON.parse(row.header) as BatchHeader, tree: treeOf(batchLeaves(rowsOfBatch(batchId))) };
		remember(batchId, c);
		return c;
	}

	/**
	 * The command set for one device with its envelope and the MA's trust statement; null when it must not
	 * be sent (awaiting a passkey approval, or the batch cannot be signed).
	 */
	function seal(deviceId: string, set: CommandSetMsg): CommandSetMsg | null {
		if (!set.batchId) return null;
		const c = load(set.batchId);
		if (!c || c.row.approval === 'pending') return null;
		const trust = d.trust.current(c.row.maId);
		if (c.row.approval === 'not-required' && needsApproval(c.header, trust.statement)) {
			// The MA gained approving passkeys (or a stricter policy) since the batch was signed: devices now
			// demand an approval for it, so it waits for one like a new high-risk batch.
			envelopesRepo.updateEnvelope(d.db, c.row.batchId, { approval: 'pending' });
			c.row = { ...c.row, approval: 'pending' };
			return null;
		}
		const index = c.tree.index.get(deviceId);
		if (index === undefined) return null;
		// After a key rotation, sign the same header again with the current key (same nonce: not a new command).
		const currentKey = d.keys.current(c.row.maId);
		if (c.row.keyId !== currentKey.id) {
			const signature = d.keys.signWith(currentKey, envelopeMessage(c.header));
			envelopesRepo.updateEnvelope(d.db, c.row.batchId, { keyId: currentKey.id, signature });
			c.row = { ...c.row, keyId: currentKey.id, signature };
		}
		const envelope: SignedEnvelope = {
			header: c.header,
			keyId: c.row.keyId,
			signature: c.row.signature,
			leaf: c.tree.leaves[index]!,
			index,
			proof: merkleProof(c.tree.levels, index).map((p) => Buffer.from(p).toString('base64url')),
			approval: c.row.assertion ? (JSON.parse(c.row.assertion) as AdminApproval) : null
		};
		return {
			...set,
			maName: c.header.maName,
			consentMode: c.header.consentMode,
			intent: c.header.intent,
			issuedAt: c.header.issuedAt,
			expiresAt: c.header.expiresAt,
			envelope,
			trust: trust as SignedTrustMsg
		};
	}

	function header(batchId: string): { row: EnvelopeRow; header: BatchHeader } | null {
		const row = getRow(batchId);
		return row ? { row, header: JSON.parse(row.header) as BatchHeader } : null;
	}

	/** Records the approval; only a pending batch of this MA changes. */
	function markApproved(maId: string, batchId: string, assertion: AdminApproval, adminId: string): boolean {
		const r = envelopesRepo.approvePendingEnvelope(d.db, maId, batchId, {
			assertion: JSON.stringify(assertion),
			approvedBy: adminId,
			approvedAt: d.clock()
		});
		cache.delete(batchId);
		return r.changes > 0;
	}

	const pendingOf = (maId: string): EnvelopeRow[] => envelopesRepo.listPendingEnvelopes(d.db, maId);

	return { prepare, seal, header, markApproved, pendingOf, operationsOf };
}

export type Envelopes = ReturnType<typeof createEnvelopes>;
