/**
 * What one device connection already holds (issue #15): the trust statement is left out only for a version
 * the device reported or acked on this connection; a new connection (a new memory) holds nothing.
 */
import { describe, it, expect } from 'vitest';
import type { CommandSetMsg, SignedTrustMsg } from '../../contract';
import { forConnection } from './connection-memory';

const MA = '0190a000-0000-7000-8000-00000000000a';
const DEVICE = '0190a000-0000-7000-8000-0000000000d1';
const trust = (seq: number, maId = MA) => ({ statement: { maId, seq }, signatures: [] }) as unknown as SignedTrustMsg;
const set = (t?: SignedTrustMsg) => ({ batchId: null, maId: MA, operations: [], ...(t ? { trust: t } : {}) }) as unknown as CommandSetMsg;

describe('per-connection memory of what the device holds', () => {
	it('sends the statement until the device holds that version, and every newer version once', () => {
		const m = forConnection();
		expect(m.tailor(set(trust(3)), DEVICE).trust?.statement.seq).toBe(3);
		m.acked(set(trust(3)));
		expect(m.tailor(set(trust(3)), DEVICE).trust).toBeUndefined();
		expect(m.tailor(set(trust(4)), DEVICE).trust?.statement.seq).toBe(4);
		m.holdsTrust(MA, 5);
		expect(m.tailor(set(trust(4)), DEVICE).trust).toBeUndefined();
		// A reported version never goes down, and another MA's statement is never taken for this MA's.
		m.holdsTrust(MA, 2);
		expect(m.tailor(set(trust(5)), DEVICE).trust).toBeUndefined();
		expect(m.tailor(set(trust(1, '0190a000-0000-7000-8000-00000000000b')), DEVICE).trust).toBeDefined();
	});

	it('a new connection holds nothing: the first set on it carries the statement again', () => {
		const first = forConnection();
		first.acked(set(trust(3)));
		expect(first.tailor(set(trust(3)), DEVICE).trust).toBeUndefined();
		expect(forConnection().tailor(set(trust(3)), DEVICE).trust?.statement.seq).toBe(3);
	});

	it('a set without an envelope has no compact form and goes as it is', () => {
		const s = set(trust(3));
		expect(forConnection({ compact: true }).tailor(s, DEVICE)).toBe(s);
	});
});
