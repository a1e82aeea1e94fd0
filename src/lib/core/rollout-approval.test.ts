import { describe, it, expect } from 'vitest';
import { approvalChallenge, envelopeOperation, type BatchHeader } from './envelope';
import { sha256 } from './merkle-sha256';
import { rolloutApprovalChallenge, rolloutProblem, type RolloutDefinition } from './rollout-approval';
import { canonicalJson } from './envelope-canonical';
import { b64u, utf8 } from './envelope-bytes';

const MA = '0190a000-0000-7000-8000-00000000000a';
const remove = envelopeOperation(sha256, { kind: 'Remove', componentId: 'com.acme.app', version: null }, null);

const def: RolloutDefinition = {
	v: 1,
	maId: MA,
	rolloutId: '0190a000-0000-7000-8000-0000000000f1',
	nonce: 'bm9uY2Vub25jZW5vbmNl',
	operations: [remove],
	consentMode: 'confirm',
	intent: 'retire the old app',
	notAfter: 1_800_000_000_000,
	target: 'tag==lobby',
	maxDevices: 500
};

const header: BatchHeader = {
	v: 1,
	maId: MA,
	maName: 'Acme',
	batchId: '0190a000-0000-7000-8000-0000000000b1',
	nonce: 'aGVhZGVybm9uY2U',
	issuedAt: def.notAfter - 3_600_000,
	expiresAt: def.notAfter,
	consentMode: 'confirm',
	intent: 'retire the old app',
	operations: [remove],
	root: 'cm9vdA',
	leafCount: 3,
	rollout: def
};

describe('rolloutApprovalChallenge', () => {
	it('is stable: the digest of the domain-separated canonical definition, whatever the key order', () => {
		const expected = b64u(sha256(utf8(`scomo-rollout-approval:v1:${canonicalJson(def)}`)));
		expect(rolloutApprovalChallenge(sha256, def)).toBe(expected);
		const shuffled = Object.fromEntries(Object.entries(def).reverse()) as RolloutDefinition;
		expect(rolloutApprovalChallenge(sha256, shuffled)).toBe(expected);
		// A pinned value: a change of the encoding would silently invalidate every stored approval.
		expect(expected).toBe('Gk1rCexeHBDRlV1dVwiqmwdvkjNScQv4-AekMXcFVng');
	});

	it('changes with every field of the definition', () => {
		const base = rolloutApprovalChallenge(sha256, def);
		const changes: Partial<RolloutDefinition>[] = [
			{ maId: '0190a000-0000-7000-8000-00000000000b' },
			{ rolloutId: '0190a000-0000-7000-8000-0000000000f2' },
			{ nonce: 'b3RoZXI' },
			{ operations: [remove, remove] },
			{ consentMode: 'silent' },
			{ intent: 'x' },
			{ notAfter: def.notAfter + 1 },
			{ target: 'all' },
			{ maxDevices: 501 }
		];
		for (const c of changes) expect(rolloutApprovalChallenge(sha256, { ...def, ...c })).not.toBe(base);
	});

	it('is domain-separated from batch approvals and plain digests', () => {
		// Even a "header" made of the definition's own fields never gives the same challenge.
		expect(rolloutApprovalChallenge(sha256, def)).not.toBe(approvalChallenge(sha256, def as unknown as BatchHeader));
		expect(rolloutApprovalChallenge(sha256, def)).not.toBe(b64u(sha256(utf8(`scomo-approval:v1:${canonicalJson(def)}`))));
		expect(approvalChallenge(sha256, header)).not.toBe(rolloutApprovalChallenge(sha256, def));
	});
});

describe('rolloutProblem', () => {
	it('accepts a batch within its definition', () => {
		expect(rolloutProblem(header, def)).toBeNull();
	});

	it.each([
		['another MA', { maId: '0190a000-0000-7000-8000-00000000000b' }, 'another MA'],
		['another consent mode', { consentMode: 'silent' as const }, 'consent mode'],
		['another intent', { intent: 'x' }, 'intent'],
		['other operations', { operations: [remove, remove] }, 'operations'],
		['issued after notAfter', { issuedAt: def.notAfter + 1, expiresAt: def.notAfter + 2 }, 'after'],
		['valid after notAfter', { expiresAt: def.notAfter + 1 }, 'after'],
		['more devices than the rollout', { leafCount: 501 }, 'more devices']
	])('refuses %s', (_name, change, message) => {
		expect(rolloutProblem({ ...header, ...change }, def)).toContain(message);
	});
});
