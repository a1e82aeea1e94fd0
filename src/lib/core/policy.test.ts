import { describe, it, expect } from 'vitest';
import { ACTIONS as ALL_ACTIONS, authorize, rolesAllowed, type Actor, type Action, type Role, type TokenScope } from './policy';

const MA = 'ma-a';
const OTHER = 'ma-b';
const ACTIONS: readonly Action[] = ALL_ACTIONS;

const admin = (role: Role, maId = MA): Actor => ({ type: 'admin', id: 'adm', memberships: [{ maId, role }] });
const token = (scope: TokenScope, maId = MA): Actor => ({ type: 'token', id: 'tok', maId, scope });

// Expected outcome for a resource owned by the acting MA: actor × action.
// Expected outcome for a resource owned by the acting MA: actor × action (the whole table, every action).
type Row = Record<Action, 'ok' | 'forbidden'>;
const F = 'forbidden' as const;
const DEVICE_ONLY = { 'manage-own-account': F, report: F, request: F };
const OWN: [string, Actor, Row][] = [
	['owner', admin('owner'), { read: 'ok', operate: 'ok', manage: 'ok', approve: 'ok', reject: 'ok', ...DEVICE_ONLY }],
	['operator', admin('operator'), { read: 'ok', operate: 'ok', manage: F, approve: 'ok', reject: 'ok', ...DEVICE_ONLY }],
	['viewer', admin('viewer'), { read: 'ok', operate: F, manage: F, approve: F, reject: F, ...DEVICE_ONLY }],
	// Tokens never approve or reject: a person with a passkey decides a high-risk batch.
	['operate token', token('operate'), { read: 'ok', operate: 'ok', manage: F, approve: F, reject: F, ...DEVICE_ONLY }],
	['read token', token('read'), { read: 'ok', operate: F, manage: F, approve: F, reject: F, ...DEVICE_ONLY }]
];

describe('authorize: actor × role × resource owner × action', () => {
	for (const [name, actor, expected] of OWN) {
		for (const action of ACTIONS) {
			it(`${name} may${expected[action] === 'ok' ? '' : ' not'} ${action} its own MA's device`, () => {
				const r = authorize(actor, MA, action, { kind: 'device', id: 'd1', maIds: [MA] });
				if (expected[action] === 'ok') expect(r.ok).toBe(true);
				else expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
			});
			it(`${name} gets not_found to ${action} another MA's package`, () => {
				const r = authorize(actor, MA, action, { kind: 'package', id: 'p1', maIds: [OTHER] });
				expect(r).toMatchObject({ ok: false, error: { code: 'not_found' } });
			});
			it(`${name} gets not_found when acting in an MA it does not belong to (${action})`, () => {
				const r = authorize(actor, OTHER, action, { kind: 'operation', id: 'o1', maIds: [OTHER] });
				expect(r).toMatchObject({ ok: false, error: { code: 'not_found' } });
			});
		}
	}

	it('a device enrolled with two MAs is visible to both', () => {
		const dev = { kind: 'device' as const, id: 'd1', maIds: [MA, OTHER] };
		expect(authorize(admin('viewer', OTHER), OTHER, 'read', dev).ok).toBe(true);
		expect(authorize(admin('viewer', MA), MA, 'read', dev).ok).toBe(true);
	});

	it('the MA resource is visible only as itself', () => {
		expect(authorize(admin('owner'), MA, 'manage', { kind: 'ma', id: MA, maIds: [MA] }).ok).toBe(true);
		expect(authorize(admin('owner'), MA, 'read', { kind: 'ma', id: OTHER, maIds: [OTHER] })).toMatchObject({
			ok: false,
			error: { code: 'not_found' }
		});
	});

	it('no actor is unauthenticated', () => {
		expect(authorize(null, MA, 'read', { kind: 'device', maIds: [MA] })).toMatchObject({
			ok: false,
			error: { code: 'unauthenticated' }
		});
	});

	it('a device acts on itself and reads only its MAs catalogs', () => {
		const dev: Actor = { type: 'device', id: 'd1', maIds: [MA] };
		expect(authorize(dev, null, 'operate', { kind: 'device', id: 'd1', maIds: [MA] }).ok).toBe(true);
		expect(authorize(dev, null, 'operate', { kind: 'device', id: 'd2', maIds: [MA] }).ok).toBe(false);
		expect(authorize(dev, null, 'read', { kind: 'package', id: 'p', maIds: [MA] }).ok).toBe(true);
		expect(authorize(dev, null, 'read', { kind: 'package', id: 'p', maIds: [OTHER] })).toMatchObject({
			ok: false,
			error: { code: 'not_found' }
		});
		expect(authorize(dev, null, 'manage', { kind: 'device', id: 'd1', maIds: [MA] }).ok).toBe(false);
	});

	it('a trust change is approved or rejected by owners only; a batch by operators and owners', () => {
		const change = { kind: 'trust-change' as const, maIds: [MA] };
		const batch = { kind: 'batch' as const, id: 'b1', maIds: [MA] };
		for (const action of ['approve', 'reject'] as const) {
			expect(authorize(admin('owner'), MA, action, change).ok).toBe(true);
			expect(authorize(admin('operator'), MA, action, change)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
			expect(authorize(admin('operator'), MA, action, batch).ok).toBe(true);
			expect(authorize(admin('viewer'), MA, action, batch)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
			// Another MA's batch is not found, never forbidden.
			expect(authorize(admin('owner'), MA, action, { ...batch, maIds: [OTHER] })).toMatchObject({ ok: false, error: { code: 'not_found' } });
		}
		expect(rolesAllowed('approve', 'batch')).toEqual(['operator', 'owner']);
		expect(rolesAllowed('approve', 'trust-change')).toEqual(['owner']);
	});

	it("an administrator manages their own account only, in any MA or none; anyone else's is not found", () => {
		const me = admin('viewer');
		expect(authorize(me, null, 'manage-own-account', { kind: 'account', id: 'adm', maIds: [] }).ok).toBe(true);
		expect(authorize(me, MA, 'manage-own-account', { kind: 'account', id: 'adm', maIds: [] }).ok).toBe(true);
		expect(authorize(me, MA, 'manage-own-account', { kind: 'account', id: 'someone-else', maIds: [] })).toMatchObject({ ok: false, error: { code: 'not_found' } });
		expect(authorize(me, MA, 'manage', { kind: 'account', id: 'adm', maIds: [] })).toMatchObject({ ok: false, error: { code: 'not_found' } });
		expect(authorize(token('operate'), MA, 'manage-own-account', { kind: 'account', id: 'tok', maIds: [] })).toMatchObject({ ok: false, error: { code: 'not_found' } });
	});

	it('a device reports on itself and its own operations, and requests only from its MAs; everything else is not found', () => {
		const dev: Actor = { type: 'device', id: 'd1', maIds: [MA] };
		const cases: [Action, Parameters<typeof authorize>[3], boolean][] = [
			['report', { kind: 'device', id: 'd1', maIds: [MA] }, true],
			['report', { kind: 'device', id: 'd2', maIds: [MA] }, false],
			['report', { kind: 'operation', id: 'c1', maIds: [MA], deviceId: 'd1' }, true],
			// A result for an operation of an MA the device has left is still its own operation.
			['report', { kind: 'operation', id: 'c1', maIds: [OTHER], deviceId: 'd1' }, true],
			['report', { kind: 'operation', id: 'c2', maIds: [MA], deviceId: 'd2' }, false],
			['report', { kind: 'operation', id: 'missing', maIds: [] }, false],
			['read', { kind: 'operation', id: 'c1', maIds: [MA], deviceId: 'd1' }, true],
			['request', { kind: 'device-request', maIds: [MA] }, true],
			['request', { kind: 'device-request', maIds: [OTHER] }, false],
			['read', { kind: 'package', maIds: [MA] }, true],
			['read', { kind: 'package', maIds: [OTHER] }, false],
			['approve', { kind: 'batch', id: 'b', maIds: [MA] }, false],
			['manage', { kind: 'device', id: 'd1', maIds: [MA] }, false]
		];
		for (const [action, resource, allowed] of cases) {
			const r = authorize(dev, null, action, resource);
			if (allowed) expect(r.ok, `${action} ${JSON.stringify(resource)}`).toBe(true);
			else expect(r, `${action} ${JSON.stringify(resource)}`).toMatchObject({ ok: false, error: { code: 'not_found' } });
		}
	});
});
