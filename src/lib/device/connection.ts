/**
 * The device's connection to the server: socket.io namespace `/device`.
 *
 * On every connection: the server sends `auth:challenge`; the device answers `auth:prove` with an Ed25519
 * signature over deviceAuthMessage(nonce, deviceId, origin) (binding the nonce to this device and this server),
 * then sends `device:info` and its full `inventory`, then the host flushes the outbox. Every emit waits for
 * an ack with a timeout. Lost connections come back with socket.io's randomized exponential backoff; when the
 * server itself closes the connection (e.g. authentication refused), the device retries on its own backoff.
 */
import { io, type Socket } from 'socket.io-client';
import {
	AuthChallenge,
	COMPACT_SETS_FEATURE,
	CompactCommandSet,
	DEVICE_NAMESPACE,
	expandCompactSet,
	isCompactSet,
	ErrorEvent,
	RequestDecided,
	deviceAuthMessage,
	parse,
	type CatalogEntry,
	type CommandAck,
	type ComponentStateChangeMsg,
	type DeviceHandshakeAuthMsg,
	type DeviceInfoMsg,
	type DeviceRequestMsg,
	type DeviceAnswer,
	type DevicePayload,
	type DeviceToServerEvents,
	type InventoryReportMsg,
	type OperationResultMsg,
	type ProgressMsg,
	type RequestDecidedMsg,
	type ServerToDeviceEvents,
	type WithdrawAck,
	type DecommissionAck
} from '../contract';
import { resultMessage } from '../core/envelope';
import { errorMessage, type EventSink } from './events';
import { DownloadError, type DeviceLink, type SendOutcome } from './link';
import type { Signer } from './ports';

export type ConnectionOptions = {
	serverUrl: string;
	deviceId: string;
	signer: Signer;
	info: () => DeviceInfoMsg;
	/** The full inventory report sent after authenticating (with the current report sequence). */
	inventory: () => InventoryReportMsg | Promise<InventoryReportMsg>;
	/** A command set arrived: journal it and return the ack (executor.receive). */
	onCommands: (raw: unknown) => Promise<CommandAck>;
	/** After the ack went out, or after authenticating: run the journal and flush the outbox. */
	onReady: () => void;
	onRequestDecided?: (msg: RequestDecidedMsg) => void;
	/** The MA withdraws delivered operations (cancel): verify and withdraw them; the answer is the ack. */
	onWithdraw?: (raw: unknown) => Promise<WithdrawAck>;
	/** The MA decommissions this device: verify and erase its data; the answer is the ack. */
	onDecommission?: (raw: unknown) => Promise<DecommissionAck>;
	emit: EventSink;
	/** Ack timeout for every emit. */
	ackTimeoutMs?: number;
	/** Largest delay between reconnection attempts. */
	maxBackoffMs?: number;
	/** socket.io transports; websocket only by default (no long-polling round trips). */
	transports?: ('websocket' | 'polling')[];
	/** Local source address of the socket (Node only; bench/ spreads simulated fleets over 127.0.0.x). */
	localAddress?: string;
};

type DeviceSocket = Socket<ServerToDeviceEvents, DeviceToServerEvents>;

/** Ack codes that mean "try again later" rather than "this will never be accepted". */
const TRANSIENT_CODES = new Set(['internal', 'not_authenticated', 'rate_limited']);

export class Connection implements DeviceLink {
	private readonly socket: DeviceSocket;
	private authenticated = false;
	private closed = false;
	private retryTimer: ReturnType<typeof setTimeout> | null = null;
	private challengeTimer: ReturnType<typeof setTimeout> | null = null;
	private failures = 0;
	private readonly onlineWaiters = new Set<(ok: boolean) => void>();
	private readonly origin: string;
	private readonly timeoutMs: number;

	constructor(private readonly o: ConnectionOptions) {
		this.origin = new URL(o.serverUrl).origin;
		this.timeoutMs = o.ackTimeoutMs ?? 10_000;
		const maxBackoff = o.maxBackoffMs ?? 15_000;
		this.socket = io(new URL(DEVICE_NAMESPACE, o.serverUrl).toString(), {
			autoConnect: false,
			transports: o.transports ?? ['websocket'],
			reconnection: true,
			reconnectionDelay: 500,
			reconnectionDelayMax: maxBackoff,
			randomizationFactor: 0.5,
			// Every emit waits for its ack this long. The ack timeout is set here rather than with timeout(): its
			// typings lose the ack's type (socket.io#4925), emitWithAck on the plain socket keeps it.
			ackTimeout: this.timeoutMs,
			// Issue #15 (contract device-handshake.ts): this device rebuilds compact command sets, and the trust
			// statements it pinned need not come again. Asked on every (re)connection; older servers ignore it.
			auth: (cb: (auth: DeviceHandshakeAuthMsg) => void) => cb({ features: [COMPACT_SETS_FEATURE], ...(o.info().trust ? { trust: o.info().trust } : {}) }),
			...(o.localAddress ? { localAddress: o.localAddress } : {})
		});
		this.wire(maxBackoff);
	}

	get online(): boolean {
		return this.authenticated && this.socket.connected;
	}

	connect(): void {
		this.closed = false;
		this.socket.connect();
	}

	close(): void {
		this.closed = true;
		this.authenticated = false;
		this.clearTimers();
		this.socket.disconnect();
		for (const w of [...this.onlineWaiters]) w(false);
	}

	private clearTimers(): void {
		if (this.retryTimer) clearTimeout(this.retryTimer);
		if (this.challengeTimer) clearTimeout(this.challengeTimer);
		this.retryTimer = this.challengeTimer = null;
	}

	/** Our own retry when the server closed the connection (socket.io does not reconnect by itself then). */
	private retryLater(maxBackoff: number): void {
		if (this.closed || this.retryTimer) return;
		this.failures++;
		const base = Math.min(maxBackoff, 500 * 2 ** Math.min(this.failures, 10));
		const delay = base / 2 + Math.random() * (base / 2);
		this.retryTimer = setTimeout(() => {
			this.retryTimer = null;
			if (!this.closed && !this.socket.connected) this.socket.connect();
		}, delay);
	}

	private wire(maxBackoff: number): void {
		const s = this.socket;
		s.on('connect', () => {
			// The server speaks first; if it does not, start over rather than hang half-connected.
			if (this.challengeTimer) clearTimeout(this.challengeTimer);
			this.challengeTimer = setTimeout(() => {
				if (!this.authenticated) {
					s.disconnect();
					this.retryLater(maxBackoff);
				}
			}, this.timeoutMs);
		});
		s.on('disconnect', (reason) => {
			const was = this.authenticated;
			this.authenticated = false;
			if (this.challengeTimer) clearTimeout(this.challengeTimer);
			if (was || reason !== 'io client disconnect') this.o.emit({ event: 'disconnected', reason });
			if (reason === 'io server disconnect') this.retryLater(maxBackoff);
		});
		s.on('auth:challenge', (raw) => void this.prove(raw, maxBackoff));
		s.on('commands', (raw, ack) => {
			void (async () => {
				let answer: CommandAck;
				try {
					answer = await this.o.onCommands(this.expand(raw));
				} catch (e) {
					// Not journaled, so not accepted: the server keeps the operations and relays them again.
					answer = { ok: false, code: 'internal', message: errorMessage(e) };
				}
				if (typeof ack === 'function') ack(answer);
				if (answer.ok) this.o.onReady();
			})();
		});
		s.on('withdraw', (raw, ack) => {
			void (async () => {
				let answer: WithdrawAck;
				try {
					answer = this.o.onWithdraw ? await this.o.onWithdraw(raw) : { ok: false, code: 'invalid_request', message: 'not supported' };
				} catch (e) {
					answer = { ok: false, code: 'internal', message: errorMessage(e) };
				}
				if (typeof ack === 'function') ack(answer);
			})();
		});
		s.on('decommission', (raw, ack) => {
			void (async () => {
				let answer: DecommissionAck;
				try {
					answer = this.o.onDecommission ? await this.o.onDecommission(raw) : { ok: false, code: 'invalid_request', message: 'not supported' };
				} catch (e) {
					answer = { ok: false, code: 'internal', message: errorMessage(e) };
				}
				if (typeof ack === 'function') ack(answer);
			})();
		});
		s.on('request:decided', (raw) => {
			const msg = parse(RequestDecided, raw);
			if (msg.ok) {
				this.o.emit({
					event: 'request-decided',
					requestId: msg.value.requestId,
					status: msg.value.status,
					correlator: msg.value.correlator
				});
				this.o.onRequestDecided?.(msg.value);
			}
		});
		s.on('error', (raw) => {
			const msg = parse(ErrorEvent, raw);
			if (msg.ok) this.o.emit({ event: 'server-error', code: msg.value.code, message: msg.value.message, about: msg.value.event });
		});
	}

	/**
	 * A compact set becomes the full set it stands for, addressed to this device, before anything checks it
	 * (the verifier then checks the MA signature and this device's Merkle proof as for any set). One that does
	 * not parse goes on as it came and is answered invalid_request.
	 */
	private expand(raw: unknown): unknown {
		if (!isCompactSet(raw)) return raw;
		const compact = parse(CompactCommandSet, raw);
		return (compact.ok && expandCompactSet(compact.value, this.o.deviceId)) || raw;
	}

	private async prove(raw: unknown, maxBackoff: number): Promise<void> {
		const challenge = parse(AuthChallenge, raw);
		if (!challenge.ok) return;
		const { deviceId, signer } = this.o;
		try {
			const signature = await signer.sign(deviceAuthMessage(challenge.value.nonce, deviceId, this.origin));
			const res = await this.call('auth:prove', { deviceId, signature });
			if (!res.ok) {
				this.o.emit({ event: 'auth-failed', code: String(res.code), message: res.message });
				this.socket.disconnect();
				this.retryLater(maxBackoff);
				return;
			}
			if (this.challengeTimer) clearTimeout(this.challengeTimer);
			this.authenticated = true;
			this.failures = 0;
			await this.call('device:info', this.o.info());
			await this.call('inventory', await this.o.inventory());
			this.o.emit({ event: 'connected', deviceId: res.deviceId, maIds: res.maIds });
			for (const w of [...this.onlineWaiters]) w(true);
			this.o.onReady();
		} catch (e) {
			// A timeout or a lost connection during the handshake: socket.io reconnects, the server challenges again.
			this.o.emit({ event: 'error', where: 'handshake', message: errorMessage(e) });
		}
	}

	/** Emit with an ack and a timeout (the socket's ackTimeout); throws on timeout or when not connected. */
	private async call<E extends keyof DeviceToServerEvents>(event: E, msg: DevicePayload<E>): Promise<DeviceAnswer<E>> {
		if (!this.socket.connected) throw new Error('not connected to the server');
		return this.emits[event](msg);
	}

	/**
	 * One typed emitWithAck per event. socket.io's emit typings resolve only for a literal event name, not for a
	 * generic one, so call() looks the event up here instead of casting the socket.
	 */
	private readonly emits: { [E in keyof DeviceToServerEvents]: (msg: DevicePayload<E>) => Promise<DeviceAnswer<E>> } = {
		'auth:prove': (msg) => this.socket.emitWithAck('auth:prove', msg),
		'device:info': (msg) => this.socket.emitWithAck('device:info', msg),
		progress: (msg) => this.socket.emitWithAck('progress', msg),
		result: (msg) => this.socket.emitWithAck('result', msg),
		inventory: (msg) => this.socket.emitWithAck('inventory', msg),
		'component:state': (msg) => this.socket.emitWithAck('component:state', msg),
		request: (msg) => this.socket.emitWithAck('request', msg),
		'catalog:list': (msg) => this.socket.emitWithAck('catalog:list', msg),
		'package:token': (msg) => this.socket.emitWithAck('package:token', msg)
	};

	/** Resolves true once authenticated, false after `timeoutMs` (or at once after close()). */
	private whenOnline(timeoutMs: number): Promise<boolean> {
		if (this.online) return Promise.resolve(true);
		if (this.closed) return Promise.resolve(false);
		return new Promise((resolve) => {
			const done = (ok: boolean) => {
				clearTimeout(timer);
				this.onlineWaiters.delete(done);
				resolve(ok);
			};
			const timer = setTimeout(() => done(false), timeoutMs);
			this.onlineWaiters.add(done);
		});
	}

	// ---------- DeviceLink ----------

	async fetchBundle(correlator: string, onBytes?: (bytesDone: number, bytesTotal: number) => void): Promise<Uint8Array> {
		// A download right after start-up or a reconnect waits a little for the connection rather than failing.
		if (!(await this.whenOnline(this.timeoutMs * 3))) throw new DownloadError('not connected to the server', false);
		let res: DeviceAnswer<'package:token'>;
		try {
			res = await this.call('package:token', { correlator });
		} catch (e) {
			throw new DownloadError(`no download token: ${errorMessage(e)}`, false);
		}
		// "Try later" codes are transient; any other refusal (the operation is unknown or finished) is final.
		if (!res.ok) throw new DownloadError(`no download token (${res.code ?? 'bad answer'})`, !TRANSIENT_CODES.has(String(res.code)));
		// The answer is the server's word, not checked by a schema here: a token without a URL is final too.
		if (typeof res.url !== 'string') throw new DownloadError('no download token (bad answer)', true);
		let http: Response;
		let bytes: Uint8Array;
		try {
			http = await fetch(new URL(res.url, this.o.serverUrl));
			if (http.ok) bytes = await readBody(http, onBytes);
		} catch (e) {
			throw new DownloadError(`the download was cut: ${errorMessage(e)}`, false);
		}
		// A fresh token was just issued: a 4xx means this package will not be served; a 5xx may pass.
		if (!http.ok) throw new DownloadError(`the server answered ${http.status}`, http.status < 500 && http.status !== 408 && http.status !== 429);
		return bytes!;
	}

	async sendProgress(progress: ProgressMsg): Promise<void> {
		if (!this.online) return;
		await this.call('progress', progress).catch(() => {});
	}

	async sendResult(result: OperationResultMsg): Promise<SendOutcome> {
		if (!this.online) return 'unsent';
		// SCOMO-SEC-02: the device key signs every result, so the server can verify where it came from.
		const { signature: _old, ...unsigned } = result;
		const signature = await this.o.signer.sign(resultMessage(this.o.deviceId, unsigned));
		return this.send('result', { ...unsigned, signature });
	}

	sendComponentState(change: ComponentStateChangeMsg): Promise<SendOutcome> {
		return this.send('component:state', change);
	}

	private async send<E extends 'result' | 'component:state'>(
		event: E,
		msg: DevicePayload<E>
	): Promise<SendOutcome> {
		if (!this.online) return 'unsent';
		try {
			const res = await this.call(event, msg);
			if (res.ok) return 'acked';
			if (TRANSIENT_CODES.has(String(res.code))) return 'unsent';
			this.o.emit({ event: 'server-error', code: String(res.code), message: String(res.message ?? ''), about: event });
			return 'rejected';
		} catch {
			return 'unsent';
		}
	}

	// ---------- device-initiated (SCOMO-Device-06) ----------

	async request(msg: DeviceRequestMsg): Promise<{ ok: true; requestId: string } | { ok: false; code: string; message: string }> {
		const res = await this.call('request', msg);
		return res.ok
			? { ok: true, requestId: String(res.requestId) }
			: { ok: false, code: String(res.code), message: String(res.message ?? '') };
	}

	async catalog(maId: string): Promise<CatalogEntry[]> {
		const res = await this.call('catalog:list', { maId });
		if (!res.ok) throw new Error(`${res.code}: ${res.message ?? ''}`);
		return res.entries;
	}
}

/**
 * The body chunk by chunk, telling `onBytes` the running total against Content-Length (the server sets it for
 * bundles). Without a length, or without a readable stream, the bytes are reported once, whole, at the end.
 */
async function readBody(http: Response, onBytes?: (bytesDone: number, bytesTotal: number) => void): Promise<Uint8Array> {
	const announced = Number(http.headers.get('content-length'));
	const total = Number.isSafeInteger(announced) && announced > 0 ? announced : null;
	if (!onBytes || !http.body || total === null) {
		const whole = new Uint8Array(await http.arrayBuffer());
		onBytes?.(whole.length, whole.length);
		return whole;
	}
	const reader = http.body.getReader();
	const chunks: Uint8Array[] = [];
	let done = 0;
	onBytes(0, total);
	for (;;) {
		const r = await reader.read();
		if (r.done) break;
		chunks.push(r.value);
		done += r.value.length;
		onBytes(done, Math.max(total, done));
	}
	const out = new Uint8Array(done);
	let at = 0;
	for (const c of chunks) {
		out.set(c, at);
		at += c.length;
	}
	return out;
}
