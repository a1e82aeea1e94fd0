import { describe, it, expect } from 'vitest';
import { serviceHarness } from './services/test-harness';
import { createApiToken, revokeApiToken } from './auth/api-tokens';
import { authorizeCollection, authorizeResource, principalOf } from './authz';

const req = (token?: string) => new Request('http://x/api', { headers: token ? { authorization: `Bearer ${token}` } : {} });
const noLocals = { actor: null, maId: null };

describe('authz: the server entry to the policy', () => {
	it('turns a bearer token into a token actor; a bad or revoked token is unauthenticated', () => {
		const h = serviceHarness();
		const { maId } = h.maWithDevice();
		const t = createApiToken(h.db, { maId, scope: 'read', name: 't' }, 1);
		const p = principalOf(h.db, req(t.token), noLocals, 2);
		expect(p).toMatchObject({ ok: true, value: { maId, actor: { type: 'token', scope: 'read' } } });
		expect(principalOf(h.db, req('scomo_nope'), noLocals, 2)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
		expect(principalOf(h.db, req(), noLocals, 2)).toEqual({ ok: true, value: null });
		revokeApiToken(h.db, maId, t.tokenId, 3);
		expect(principalOf(h.db, req(t.token), noLocals, 4)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
	});

	it('lets a read token read, forbids writes, hides other MAs\' resources as not_found', () => {
		const h = serviceHarness();
		const a = h.maWithDevice('A');
		const b = h.maWithDevice('B');
		const read = principalOf(h.db, req(createApiToken(h.db, { maId: a.maId, scope: 'read', name: 'r' }, 1).token), noLocals, 1);
		const op = principalOf(h.db, req(createApiToken(h.db, { maId: a.maId, scope: 'operate', name: 'o' }, 1).token), noLocals, 1);
		const pr = read.ok ? read.value : null;
		const po = op.ok ? op.value : null;
		expect(authorizeCollection(pr, 'read', 'device')).toEqual({ ok: true, value: a.maId });
		expect(authorizeCollection(pr, 'operate', 'operation')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
		expect(authorizeCollection(po, 'operate', 'operation')).toEqual({ ok: true, value: a.maId });
		expect(authorizeResource(h.db, po, 'read', 'device', a.deviceId).ok).toBe(true);
		expect(authorizeResource(h.db, po, 'read', 'device', b.deviceId)).toMatchObject({ ok: false, error: { code: 'not_found' } });
		expect(authorizeResource(h.db, po, 'read', 'device', 'missing')).toMatchObject({ ok: false, error: { code: 'not_found' } });
		expect(authorizeCollection(null, 'read', 'device')).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
	});
});
