/**
 * What a Start's command set weighs on the wire (issue #15, "the hot path"): a 500-device fan-out, approved by
 * an owner's passkey as a high-risk batch, sealed by the real services. Prints the byte breakdown (run with
 * `npx vitest run --project unit src/lib/server/signing/wire-size.test.ts`) and pins what the wire may no
 * longer carry twice. Sizes are bytes of the JSON socket.io puts on the wire, not timings.
 */
import { describe, it, expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import { insertAdmin, insertMembership, insertPasskey } from '../auth/accounts';
import { newId } from '../ids';
import { serviceHarness, settle } from '../services/test-harness';
import { SoftAuthenticator } from '../../../../tests/support/soft-authenticator';
import { forConnection } from './connection-memory';
import { CompactCommandSet, expandCompactSet, parse, type CommandSetMsg } from '../../contract';

const APP = 'com.acme.app';
const b64u = (b: Uint8Array | Buffer) => Buffer.from(b).toString('base64url');
const size = (x: unknown) => Buffer.byteLength(JSON.stringify(x) ?? '');

function breakdown(x: Record<string, unknown>, prefix = ''): string[] {
	const lines: string[] = [];
	for (const [k, v] of Object.entries(x)) {
		lines.push(`${prefix}${k}: ${size(v)} B`);
		if (v && typeof v === 'object' && !Array.isArray(v) && prefix.length < 4) lines.push(...breakdown(v as Record<string, unknown>, `${prefix}  `));
	}
	return lines;
}

async function startToFleet(n: number) {
	const h = serviceHarness();
	const first = h.maWithDevice();
	const devices = [first.deviceId, ...Array.from({ length: n - 1 }, () => h.enrollDevice(first.maId).deviceId)];
	h.upload(first.maId, APP, '1.0.0');
	for (const d of devices) h.relay.online.add(d);
	const authenticator = new SoftAuthenticator(h.config.origin);
	authenticator.register({ challenge: b64u(randomBytes(32)), rp: { id: 'localhost' }, user: { id: b64u(randomBytes(16)) } });
	const cred = authenticator.credentials[0]!;
	const adminId = newId();
	insertAdmin(h.db, { id: adminId, displayName: 'Owner', userHandle: cred.userHandle }, h.time.now);
	insertPasskey(h.db, adminId, { id: b64u(cred.id), publicKey: b64u(cred.cosePublicKey), counter: 0, transports: [], deviceType: 'singleDevice', backedUp: false }, 'key', h.time.now);
	insertMembership(h.db, adminId, first.maId, 'owner', h.time.now);
	h.services.signing.trust.invalidate(first.maId);
	const r = h.services.operations.create(first.maId, h.system, { deviceIds: devices, operations: [{ kind: 'Start', componentId: APP }], consentMode: 'silent', intent: 'bench start' });
	if (!r.ok) throw new Error(r.error.message);
	expect(r.value.approval).toBe('pending');
	const opts = h.services.signing.approvals.options(first.maId, adminId, r.value.batchId);
	if (!opts.ok) throw new Error(opts.error.message);
	const response = authenticator.assert({ challenge: opts.value.challenge, rpId: 'localhost' });
	expect((await h.services.signing.approvals.approve(first.maId, { type: 'admin', id: adminId }, r.value.batchId, response)).ok).toBe(true);
	await h.services.operations.relayBatch(r.value.batchId);
	await settle();
	return { h, maId: first.maId, devices };
}

describe('a Start on the wire, 500 devices', () => {
	it('prints the byte breakdown; a connection that holds the trust statement gets the set without it', async () => {
		const { h, maId } = await startToFleet(500);
		expect(h.relay.sent).toHaveLength(500);
		const { set } = h.relay.sent[0]!;
		const full = size(set);
		const seq = h.services.signing.trust.current(maId).statement.seq;
		// A device that reported (device:info) or was sent this statement version on its connection.
		const memory = forConnection();
		memory.holdsTrust(maId, seq);
		const lean = memory.tailor(set, set.envelope!.leaf.deviceId);
		const compactMemory = forConnection({ compact: true });
		compactMemory.holdsTrust(maId, seq);
		const compact = compactMemory.tailor(set, set.envelope!.leaf.deviceId);
		console.log(
			[
				`full set: ${full} B`,
				...breakdown(set as unknown as Record<string, unknown>),
				`without the trust statement the device holds: ${size(lean)} B`,
				`compact, without the trust statement: ${size(compact)} B`,
				...breakdown(compact as unknown as Record<string, unknown>)
			].join('\n')
		);
		expect(lean.trust).toBeUndefined();
		expect(size(lean)).toBeLessThan(full - 500);
		expect(size(compact)).toBeLessThan(size(lean) - 250);
	}, 120_000);

	it('every device rebuilds exactly the full set it would have got from the compact one, with its own ID', async () => {
		const { h, devices } = await startToFleet(103);
		const memory = forConnection({ compact: true });
		for (const { deviceId, set } of h.relay.sent) {
			const compact = parse(CompactCommandSet, memory.tailor(set, deviceId));
			expect(compact.ok).toBe(true);
			if (!compact.ok) return;
			// Nothing in the compact form names the device: each rebuilds its leaf with its own ID.
			expect(JSON.stringify(compact.value)).not.toContain(deviceId);
			expect(expandCompactSet(compact.value, deviceId)).toEqual(set);
			expect(expandCompactSet(compact.value, devices.find((d) => d !== deviceId)!)).not.toEqual(set);
		}
		// A re-delivery of part of a batch (the rest finished) names the positions it carries.
		const { set } = h.relay.sent[0]!;
		const two: CommandSetMsg = {
			...set,
			operations: [set.operations[0]!, { ...set.operations[0]!, correlator: 'other-correlator-1' }],
			envelope: { ...set.envelope!, leaf: { ...set.envelope!.leaf, correlators: ['first-correlator-0', set.operations[0]!.correlator] } }
		};
		// Operations that do not fit the header's (second position has no signed step): sent full, verified as is.
		expect(memory.tailor(two, two.envelope!.leaf.deviceId)).toBe(two);
	}, 120_000);
});
