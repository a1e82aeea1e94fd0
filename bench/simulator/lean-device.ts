/**
 * A lean simulated device (`--device lean`): the /device protocol by hand, for fleets where the full runtime
 * per device costs the shared 2 cores more than the server does. What it still does for real, per device:
 * enrollment with its own Ed25519 key (src/lib/device/enroll.ts), the challenge signature on every
 * connection, the command-set verification of the real runtime (src/lib/device/verify.ts CommandVerifier:
 * MA signature, Merkle proof, replay window) whenever a set is signed, the ack, and a
 * result signed with the device key (as connection.ts does). What it leaves out: the journal and ledger
 * copies, consent and the component runner (Start/Stop just flip a flag), WebCrypto for its own signatures
 * (node:crypto, synchronous).
 */
import { generateKeyPairSync, sign as edSign, type KeyObject } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { identityAfter, requestEnrollment, type Identity, type Ledger, type Signer } from '../../src/lib/device';
import { CommandVerifier } from '../../src/lib/device/verify';
import { DEVICE_NAMESPACE, deviceAuthMessage, type CommandSetMsg, type OperationResultMsg } from '../../src/lib/contract';
import { resultMessage } from '../../src/lib/core/envelope';
import { RC } from '../../src/lib/core';
import { boundedFetch, type DeviceOptions, type SimDevice } from './runtime-device';
import { wallNow } from './record';

const INFO = { manufacturer: 'Bench', model: 'Sim-lean', baselineBuildId: 'bench-base-1', softwareVersion: '1.0.0' };
const ACK_TIMEOUT_MS = 30_000;

function nodeSigner(): Signer & { key: KeyObject } {
	const { publicKey, privateKey } = generateKeyPairSync('ed25519');
	const raw = publicKey.export({ format: 'jwk' }).x as string;
	return {
		key: privateKey,
		publicKey: raw,
		sign: async (message: string) => edSign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64url')
	};
}

export class LeanSimDevice implements SimDevice {
	private readonly signer = nodeSigner();
	private identity: Identity | null = null;
	private socket: Socket | null = null;
	private authenticated = false;
	private running = false;
	/** Correlator → its signed result, kept to answer a re-delivery (the runtime's dedupe by correlator). */
	private readonly results = new Map<string, OperationResultMsg>();
	private readonly ledger: Ledger = { inventory: [], journal: [], results: {} };
	private verifier: CommandVerifier | null = null;
	private onConnected: (() => void) | null = null;
	private queue: Promise<void> = Promise.resolve();
	deviceId: string | null = null;

	constructor(private readonly o: DeviceOptions) {}

	get componentRunning(): boolean {
		return this.running;
	}

	get online(): boolean {
		return this.authenticated && (this.socket?.connected ?? false);
	}

	private signSync(message: string): string {
		return edSign(null, Buffer.from(message, 'utf8'), this.signer.key).toString('base64url');
	}

	async enroll(code: string): Promise<void> {
		const ask = () => requestEnrollment({ serverUrl: this.o.serverUrl, code, signer: this.signer, info: INFO, kind: 'agent', fetch: boundedFetch });
		let r = await ask();
		if (!r.ok && r.error.code === 'network') r = await ask();
		if (!r.ok) throw new Error(`enrollment failed: ${r.error.code} ${r.error.message}`);
		this.identity = identityAfter(null, this.o.serverUrl, INFO, r.value);
		this.deviceId = this.identity.deviceId;
		this.verifier = new CommandVerifier({
			identity: async () => this.identity!,
			saveIdentity: async (i) => void (this.identity = i),
			ledger: () => this.ledger,
			clock: { now: () => Date.now() }
		});
	}

	async start(onConnected: () => void): Promise<void> {
		this.onConnected = onConnected;
		const s = io(`${this.o.serverUrl}${DEVICE_NAMESPACE}`, {
			transports: ['websocket'],
			reconnection: true,
			reconnectionDelay: 500,
			reconnectionDelayMax: 5000,
			forceNew: true,
			...(this.o.localAddress ? { localAddress: this.o.localAddress } : {})
		} as Parameters<typeof io>[1]);
		this.socket = s;
		s.on('auth:challenge', (c: { nonce: string }) => void this.prove(s, c.nonce));
		s.on('disconnect', () => (this.authenticated = false));
		s.on('commands', (set: CommandSetMsg, ack?: (r: unknown) => void) => {
			// One set at a time, in the order received, like the runtime's executor.
			this.queue = this.queue.then(() => this.receive(s, set, ack)).catch((e: unknown) => this.o.recorder.error(`${this.deviceId} commands: ${String(e)}`));
		});
	}

	async stop(): Promise<void> {
		this.onConnected = null;
		this.authenticated = false;
		this.socket?.close();
		this.socket = null;
		await this.queue;
	}

	private async prove(s: Socket, nonce: string): Promise<void> {
		const deviceId = this.deviceId!;
		try {
			const signature = this.signSync(deviceAuthMessage(nonce, deviceId, new URL(this.o.serverUrl).origin));
			const res = (await s.timeout(ACK_TIMEOUT_MS).emitWithAck('auth:prove', { deviceId, signature })) as { ok: boolean; code?: string };
			if (!res.ok) return this.o.recorder.error(`${deviceId} auth: ${res.code}`);
			this.authenticated = true;
			// As the runtime does on every connection: device information, then the whole inventory.
			await s.timeout(ACK_TIMEOUT_MS).emitWithAck('device:info', this.identity!.info);
			const { seed } = this.o;
			await s.timeout(ACK_TIMEOUT_MS).emitWithAck('inventory', {
				components: [{ stage: 'deployed', componentId: seed.manifest.id, version: seed.manifest.version, state: 'Active', operational: this.running ? 'Running' : 'Stopped' }]
			});
			const cb = this.onConnected;
			this.onConnected = null;
			cb?.();
		} catch (e) {
			this.o.recorder.error(`${deviceId} handshake: ${String(e)}`);
		}
	}

	private async receive(s: Socket, set: CommandSetMsg, ack?: (r: unknown) => void): Promise<void> {
		const rec = this.o.recorder;
		const id = this.deviceId!;
		// The runtime's verification, when the set is signed (SCOMO-SEC-01).
		const verdict = set.envelope ? await this.verifier!.verify(set) : null;
		const correlators = set.operations.map((op) => op.correlator);
		const fresh = set.operations.filter((op) => !this.results.has(op.correlator) && !verdict?.rejected.has(op.correlator));
		verdict?.remember(this.ledger, fresh.map((o) => o.correlator));
		const now = wallNow();
		for (const c of correlators) {
			const r = rec.op(c, id);
			r.received++;
			r.firstReceivedAt ??= now;
			if (fresh.some((o) => o.correlator === c)) r.fresh++;
			// Verified: the set carried the MA's envelope and CommandVerifier accepted this operation.
			if (verdict && !verdict.rejected.has(c)) r.verified++;
		}
		ack?.({ ok: true, accepted: correlators });
		for (const op of set.operations) {
			let result = this.results.get(op.correlator);
			if (!result) {
				const rejection = verdict?.rejected.get(op.correlator);
				// Start and Stop are instantaneous: no progress report, as in the device runtime (step-runner.ts).
				const ok = !rejection && ((op.kind === 'Start' && !this.running) || (op.kind === 'Stop' && this.running));
				if (ok) this.running = op.kind === 'Start';
				const code = rejection ? rejection.code : ok ? RC.Successful : op.kind === 'Start' ? RC.StartFailed : RC.StopFailed;
				const unsigned = {
					correlator: op.correlator,
					resultCode: code,
					message: ok ? `${op.kind} succeeded.` : (rejection?.message ?? 'not applicable'),
					componentId: op.componentId ?? null,
					entry: { stage: 'deployed', componentId: this.o.seed.manifest.id, version: this.o.seed.manifest.version, state: 'Active', operational: this.running ? 'Running' : 'Stopped' },
					completedAt: Date.now()
				} as OperationResultMsg;
				result = { ...unsigned, signature: this.signSync(resultMessage(id, unsigned as unknown as Record<string, unknown>)) } as OperationResultMsg;
				this.results.set(op.correlator, result);
				const r = rec.op(op.correlator, id);
				r.executed++;
				r.resultCode = code;
			}
			const sent = result;
			void s
				.timeout(ACK_TIMEOUT_MS)
				.emitWithAck('result', sent)
				.then((res: { ok: boolean }) => {
					if (!res.ok) return rec.error(`${id} result refused: ${JSON.stringify(res).slice(0, 200)}`);
					const r = rec.op(sent.correlator, id);
					r.resultAcks++;
					r.ackedAt ??= wallNow();
				})
				.catch((e: unknown) => rec.error(`${id} result: ${String(e)}`));
		}
	}
}
