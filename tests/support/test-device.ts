/**
 * A protocol-level test device: socket.io-client + node:crypto Ed25519, speaking the /device protocol
 * by hand (NOT the agent), so server tests control every message, including malformed ones.
 */
import { PATIENCE_MS } from './patience';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import {
	DEVICE_NAMESPACE,
	deviceAuthMessage,
	enrollProofMessage,
	type CommandSetMsg,
	type EnrollResponse,
	type ErrorEventMsg,
	type RequestDecidedMsg
} from '../../src/lib/contract';
import { resultMessage } from '../../src/lib/core/envelope';

export type DeviceInfo = { manufacturer: string; model: string; baselineBuildId: string; softwareVersion: string };

export const DEFAULT_INFO: DeviceInfo = {
	manufacturer: 'Test Co',
	model: 'T-1',
	baselineBuildId: 'base-1',
	softwareVersion: '1.0.0'
};

export class TestDevice {
	readonly publicKey: string;
	private readonly privateKey: KeyObject;
	deviceId: string | null = null;
	socket: Socket | null = null;
	readonly commands: CommandSetMsg[] = [];
	readonly errors: ErrorEventMsg[] = [];
	readonly decisions: RequestDecidedMsg[] = [];
	/** What the device answers to `commands` (default: accept every operation). */
	onCommands: (set: CommandSetMsg) => unknown = (set) => ({ ok: true, accepted: set.operations.map((o) => o.correlator) });
	/** The socket.io handshake's `auth` object (contract DeviceHandshakeAuth); none by default. */
	handshake: Record<string, unknown> | undefined = undefined;

	constructor(
		readonly baseUrl: string,
		readonly info: DeviceInfo = DEFAULT_INFO
	) {
		const { publicKey, privateKey } = generateKeyPairSync('ed25519');
		this.publicKey = publicKey.export({ format: 'jwk' }).x as string;
		this.privateKey = privateKey;
	}

	sign(message: string): string {
		return sign(null, Buffer.from(message, 'utf8'), this.privateKey).toString('base64url');
	}

	enrollBody(code: string, extra: Record<string, unknown> = {}) {
		return {
			code,
			publicKey: this.publicKey,
			keyAlgorithm: 'Ed25519' as const,
			proof: this.sign(enrollProofMessage(code, this.publicKey)),
			...(this.deviceId ? { deviceId: this.deviceId } : {}),
			info: { ...this.info, kind: 'agent' as const },
			...extra
		};
	}

	async enroll(code: string): Promise<{ status: number; body: EnrollResponse & { error?: { code: string } } }> {
		const res = await fetch(`${this.baseUrl}/api/device/enroll`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(this.enrollBody(code))
		});
		const body = (await res.json()) as EnrollResponse & { error?: { code: string } };
		if (res.status === 201) this.deviceId = body.deviceId;
		return { status: res.status, body };
	}

	/** Opens the socket and resolves with the challenge nonce (not yet authenticated). */
	async connectRaw(): Promise<string> {
		const socket = io(`${this.baseUrl}${DEVICE_NAMESPACE}`, {
			transports: ['websocket'],
			reconnection: false,
			forceNew: true,
			...(this.handshake ? { auth: this.handshake } : {})
		});
		this.socket = socket;
		socket.on('commands', (set: CommandSetMsg, ack?: (r: unknown) => void) => {
			this.commands.push(set);
			const reply = this.onCommands(set);
			if (ack && reply !== undefined) ack(reply);
		});
		socket.on('error', (e: ErrorEventMsg) => this.errors.push(e));
		socket.on('request:decided', (m: RequestDecidedMsg) => this.decisions.push(m));
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error('no auth:challenge')), PATIENCE_MS);
			socket.once('auth:challenge', (c: { nonce: string }) => {
				clearTimeout(timer);
				resolve(c.nonce);
			});
			socket.once('connect_error', (e) => {
				clearTimeout(timer);
				reject(e);
			});
		});
	}

	/** Connects and authenticates; resolves with the auth:prove ack. */
	async connect(opts: { deviceId?: string; signature?: (nonce: string) => string } = {}) {
		const nonce = await this.connectRaw();
		const deviceId = opts.deviceId ?? this.deviceId!;
		const origin = this.baseUrl;
		const signature = opts.signature ? opts.signature(nonce) : this.sign(deviceAuthMessage(nonce, deviceId, origin));
		return this.emit<{ ok: boolean; code?: string; deviceId?: string; maIds?: string[] }>('auth:prove', { deviceId, signature });
	}

	emit<T = Record<string, unknown>>(event: string, payload?: unknown): Promise<T & { ok: boolean; code?: string; message?: string }> {
		const s = this.socket!;
		return s.timeout(PATIENCE_MS).emitWithAck(event, payload) as Promise<T & { ok: boolean; code?: string; message?: string }>;
	}

	/** Sends an event with no ack callback at all (must not crash the server). */
	emitNoAck(event: string, payload?: unknown): void {
		this.socket!.emit(event, payload);
	}

	/** Sends a result signed with the device key (SCOMO-SEC-02); pass `signature` in `extra` to send your own. */
	result(correlator: string, resultCode: number, extra: Record<string, unknown> = {}) {
		const payload: Record<string, unknown> = {
			correlator,
			resultCode,
			message: '',
			componentId: null,
			entry: null,
			completedAt: Date.now(),
			...extra
		};
		if (!('signature' in extra)) payload.signature = this.sign(resultMessage(this.deviceId ?? '', payload));
		return this.emit<{ duplicate: boolean }>('result', payload);
	}

	/** Waits until at least `n` command sets arrived. */
	async waitForCommands(n = 1, timeoutMs = PATIENCE_MS): Promise<CommandSetMsg[]> {
		const until = Date.now() + timeoutMs;
		while (this.commands.length < n) {
			if (Date.now() > until) throw new Error(`expected ${n} command sets, got ${this.commands.length}`);
			await new Promise((r) => setTimeout(r, 20));
		}
		return this.commands;
	}

	async waitForDisconnect(timeoutMs = 5_000): Promise<void> {
		const s = this.socket;
		if (!s || !s.connected) return;
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error('still connected')), timeoutMs);
			s.once('disconnect', () => {
				clearTimeout(timer);
				resolve();
			});
		});
	}

	close(): void {
		this.socket?.close();
		this.socket = null;
	}
}
