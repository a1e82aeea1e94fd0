import { describe, it, expect } from 'vitest';
import { enrollProofMessage } from '../../contract';
import { newKeys, serviceHarness } from './test-harness';

function body(code: string, keys = newKeys(), baseline = 'b1', deviceId?: string) {
	return {
		code,
		publicKey: keys.publicKey,
		keyAlgorithm: 'Ed25519' as const,
		proof: keys.sign(enrollProofMessage(code, keys.publicKey)),
		...(deviceId ? { deviceId } : {}),
		info: { manufacturer: 'M', model: 'X', baselineBuildId: baseline, softwareVersion: '1', kind: 'agent' as const }
	};
}

describe('enrollment service', () => {
	it('uses a code once, before its expiry, unless revoked', () => {
		const h = serviceHarness();
		const ma = h.services.mas.create('Acme', h.system);
		const maId = ma.ok ? ma.value.maId : '';
		const code = (s = 60) => {
			const c = h.services.enrollment.create(maId, h.system, { label: '', expiresInSeconds: s });
			return c.ok ? c.value : (undefined as never);
		};
		const c1 = code();
		expect(h.services.enrollment.enroll(body(c1.code)).ok).toBe(true);
		expect(h.services.enrollment.enroll(body(c1.code))).toMatchObject({ ok: false, error: { code: 'enrollment_code_invalid', issues: [{ path: 'code', message: 'used' }] } });

		const c2 = code(60);
		h.time.now += 60_000;
		expect(h.services.enrollment.enroll(body(c2.code))).toMatchObject({ ok: false, error: { code: 'enrollment_code_invalid', issues: [{ path: 'code', message: 'expired' }] } });

		const c3 = code();
		expect(h.services.enrollment.revoke(maId, h.system, c3.id).ok).toBe(true);
		expect(h.services.enrollment.enroll(body(c3.code))).toMatchObject({ ok: false, error: { code: 'enrollment_code_invalid', issues: [{ path: 'code', message: 'revoked' }] } });
		expect(h.services.enrollment.enroll(body('unknown-code'))).toMatchObject({ ok: false, error: { code: 'enrollment_code_invalid', issues: [{ path: 'code', message: 'unknown' }] } });
	});

	it('refuses a proof made with another key, leaving the code usable', () => {
		const h = serviceHarness();
		const ma = h.services.mas.create('Acme', h.system);
		const maId = ma.ok ? ma.value.maId : '';
		const c = h.services.enrollment.create(maId, h.system, { label: '', expiresInSeconds: 60 });
		const code = c.ok ? c.value.code : '';
		const forged = { ...body(code), proof: newKeys().sign(enrollProofMessage(code, 'x')) };
		expect(h.services.enrollment.enroll(forged)).toMatchObject({ ok: false, error: { code: 'device_auth_failed' } });
		expect(h.services.enrollment.enroll(body(code)).ok).toBe(true);
	});

	it('adds a second MA to the same device and keeps the first baseline (SCOMO-HLFR-9)', () => {
		const h = serviceHarness();
		const a = h.maWithDevice('A', 'factory-1');
		const b = h.services.mas.create('B', h.system);
		const bId = b.ok ? b.value.maId : '';
		const again = h.enrollDevice(bId, 'factory-2', a.keys, a.deviceId);
		expect(again).toMatchObject({ deviceId: a.deviceId, baseline: 'factory-1' });
		expect(h.services.devices.maIdsOf(a.deviceId).sort()).toEqual([a.maId, bId].sort());
		expect(h.services.devices.baselineOf(a.deviceId)).toBe('factory-1');
	});
});
