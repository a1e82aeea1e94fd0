/**
 * A raw baseline client (bench/baseline/raw-server.ts): plain socket.io, doing per operation what the
 * product's devices did in the same run: authenticate with an Ed25519 challenge signature, ack the command
 * set, send the measured number of progress messages (each acked), and a result signed with its own key
 * (acked after the server's commit). Nothing else: no verification of the set, no journal, no runner.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import type { Socket } from 'socket.io-client';

const ACK_TIMEOUT_MS = 60_000;

/** Wires `s` for the raw protocol; `onAuthenticated` once its challenge signature was accepted. */
export function answerLikeTheProduct(s: Socket, onAuthenticated: () => void): void {
	const { publicKey, privateKey } = generateKeyPairSync('ed25519');
	const x = publicKey.export({ format: 'jwk' }).x as string;
	const signed = (text: string) => sign(null, Buffer.from(text), privateKey).toString('base64url');
	s.on('auth:challenge', (c: { nonce: string }) => {
		s.timeout(ACK_TIMEOUT_MS)
			.emitWithAck('auth:prove', { publicKey: x, signature: signed(c.nonce) })
			.then((r: { ok: boolean }) => r.ok && onAuthenticated())
			.catch(() => {});
	});
	// The floor: a plain broadcast, acked and nothing else.
	s.on('ping:bench', (_m: unknown, ack?: (r: unknown) => void) => ack?.({ ok: true }));
	s.on('commands', (set: { leaf: { correlators: string[] }; progress: number }, ack?: (r: unknown) => void) => {
		ack?.({ ok: true });
		void (async () => {
			for (const correlator of set.leaf.correlators) {
				for (let i = 0; i < Math.round(set.progress); i++) await s.timeout(ACK_TIMEOUT_MS).emitWithAck('progress', { correlator, phase: 'in-progress' });
				const body = JSON.stringify({ correlator, resultCode: 1200, message: 'Start succeeded.', completedAt: Date.now() });
				await s.timeout(ACK_TIMEOUT_MS).emitWithAck('result', { correlator, body, signature: signed(body) });
			}
		})().catch(() => {}); // the server counts what it persisted; a lost result shows there
	});
}
