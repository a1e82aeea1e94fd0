import { describe, it, expect } from 'vitest';
import { authorize, type Actor, type Action, type Role, type TokenScope } from './policy';

const MA = 'ma-a';
const OTHER = 'ma-b';
const ACTIONS: Action[] = ['read', 'operate', 'manage'];

const admin = (role: Role, maId = MA): Actor => ({ type: 'admin', id: 'adm', memberships: [{ maId, role }] });
const token = (scope: TokenScope, maId = MA): Actor => ({ type: 'token', id: 'tok', maId, scope });

// Expected outcome for a resource owned by the acting MA: actor × action.
const OWN: [string, Actor, Record<Action, 'ok' | 'forbidden'>][] = [
	['owner', admin('owner'), { read: 'ok', operate: 'ok', manage: 'ok' }],
	['operator', admin('operator'), { read: 'ok', operate: 'ok', manage: 'forbidden' }],
	['viewer', admin('viewer'), { read: 'ok', operate: 'forbidden', manage: 'forbidden' }],
	['operate token', token('operate'), { read: 'ok', operate: 'ok', manage: 'forbidden' }],
	['read token', token('read'), { read: 'ok', operate: 'forbidden', manage: 'forbidden' }]
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
});
