/**
 * The device protocol on socket.io namespace `/device` (docs/protocol.md).
 *
 * Handshake: on connect the server emits `auth:challenge` with a fresh nonce; the device answers
 * `auth:prove` with its ID and an Ed25519 signature over deviceAuthMessage(nonce, deviceId, origin).
 * Until that succeeds every other event is answered `not_authenticated`. Every payload is validated
 * with its contract schema; a handler never throws out of here (a bad device must not hurt the server).
 */
import { randomBytes } from 'node:crypto';
import type { Namespace, Server, Socket } from 'socket.io';
import {
	COMPACT_SETS_FEATURE,
	DeviceHandshakeAuth,
	DEVICE_NAMESPACE,
	ERROR_CODES,
	parse,
	DEVICE_TO_SERVER_SCHEMAS,
	type CommandSetMsg,
	type DeviceAnswer,
	type DevicePayload,
	type DeviceToServerEvents,
	type ErrorCode,
	type RequestDecidedMsg,
	type ServerToDeviceEvents,
	type WithdrawMsg,
	type DecommissionMsg
} from '../../contract';
import type { AppContext } from '../app-context';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Relay } from '../services';
import { DeviceRegistry, deviceRoom } from './device-registry';
import { forConnection, type ConnectionMemory } from './connection-memory';
import { EventBucket } from './event-rate-limit';
import { authorizeDevice } from '../authz';


type AckFn = (res: unknown) => void;
/** `held`: what this connection's device already holds (connection-memory.ts); gone with the socket. */
type SocketData = { nonce: string | null; deviceId: string | null; maIds: string[]; held: ConnectionMemory };
/** `/device` has no events between server instances. */
type NoServerSideEvents = Record<never, never>;
type DeviceSocketNamespace = Namespace<DeviceToServerEvents, ServerToDeviceEvents, NoServerSideEvents, SocketData>;
type DeviceSocket = Socket<DeviceToServerEvents, ServerToDeviceEvents, NoServerSideEvents, SocketData>;

const failure = (code: ErrorCode, message?: string) => ({ ok: false as const, code, message: message ?? ERROR_CODES[code].text });

export type DeviceNamespace = { namespace: DeviceSocketNamespace; registry: DeviceRegistry; relay: Relay };

/**
 * The sending side of `/device` (the services' Relay), made before the services exist: it needs only the
 * namespace, the registry of connected devices and the ack timeout. serveDeviceNamespace adds the handlers
 * once the services are built, so the app context is complete when createApp returns it.
 */
export function createDeviceNamespace(io: Server, config: Pick<Config, 'commandAckTimeoutMs'>, baseLog: Logger): DeviceNamespace {
	// The Server is shared with other namespaces (untyped there); this one speaks the contract's event maps.
	const nsp: DeviceSocketNamespace = io.of(DEVICE_NAMESPACE);
	const registry = new DeviceRegistry();
	const log = baseLog.child({ ns: DEVICE_NAMESPACE });

	const relay: Relay = {
		isOnline: (deviceId) => registry.isOnline(deviceId),
		onlineDeviceIds: () => registry.onlineDeviceIds(),
		async sendCommands(deviceId, set: CommandSetMsg) {
			// Each socket of the device on this node gets the set as its connection needs it (without the trust
			// statement its device holds, issue #15); a device connected to another node only through the room.
			const sockets = registry.socketsOf(deviceId).flatMap((id) => nsp.sockets.get(id) ?? []);
			const sends =
				sockets.length > 0
					? sockets.map((s) => {
							const tailored = s.data.held.tailor(set, deviceId);
							return s
								.timeout(config.commandAckTimeoutMs)
								.emitWithAck('commands', tailored)
								.then((ack) => {
									if (ack && ack.ok === true) s.data.held.acked(tailored);
									return [ack];
								});
						})
					: [nsp.to(deviceRoom(deviceId)).timeout(config.commandAckTimeoutMs).emitWithAck('commands', set)];
			const settled = await Promise.allSettled(sends);
			const replies = settled.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
			if (replies.length === 0) {
				log.debug({ deviceId, err: settled.find((r) => r.status === 'rejected')?.reason }, 'command set not acknowledged in time');
				return null;
			}
			// Several sockets of one device may answer; any acceptance counts (the device dedupes). The answers
			// are the devices' word, unchecked by a schema: their shape is tested before use.
			const accepted = new Set<string>();
			for (const ack of replies) {
				if (ack && ack.ok === true && Array.isArray(ack.accepted)) for (const c of ack.accepted) if (typeof c === 'string') accepted.add(c);
			}
			return [...accepted];
		},
		async sendWithdrawal(deviceId, msg: WithdrawMsg) {
			try {
				const replies = await nsp.to(deviceRoom(deviceId)).timeout(config.commandAckTimeoutMs).emitWithAck('withdraw', msg);
				return replies.find((r) => r && r.ok === true) ?? replies[0] ?? null;
			} catch (e) {
				log.debug({ deviceId, err: e }, 'withdrawal not acknowledged in time');
				return null;
			}
		},
		async sendDecommission(deviceId, msg: DecommissionMsg) {
			try {
				const replies = await nsp.to(deviceRoom(deviceId)).timeout(config.commandAckTimeoutMs).emitWithAck('decommission', msg);
				// The devices' word, unchecked by a schema: its shape is tested before use.
				const done = replies.find((r) => r && r.ok === true && Array.isArray(r.erased) && r.erased.every((x) => typeof x === 'string'));
				return done ?? replies.find((r) => r && r.ok === false) ?? null;
			} catch (e) {
				log.debug({ deviceId, err: e }, 'decommission not acknowledged in time');
				return null;
			}
		},
		requestDecided(deviceId, msg: RequestDecidedMsg) {
			nsp.to(deviceRoom(deviceId)).emit('request:decided', msg);
		},
		// SCOMO-SEC-02: a revoked device loses every socket at once (it is refused when it comes back).
		disconnectDevice(deviceId) {
			nsp.in(deviceRoom(deviceId)).disconnectSockets(true);
		}
	};

	return { namespace: nsp, registry, relay };
}

/** Device→server events on `/device`: authentication, results, inventory, requests (docs/protocol.md). */
export function serveDeviceNamespace(devices: DeviceNamespace, ctx: AppContext): void {
	const { namespace: nsp, registry } = devices;
	const log = ctx.log.child({ ns: DEVICE_NAMESPACE });
	const services = () => ctx.services;

	nsp.on('connection', (socket: DeviceSocket) => {
		socket.data.nonce = randomBytes(24).toString('base64url');
		socket.data.deviceId = null;
		socket.data.maIds = [];
		// What the device takes and holds is said in the handshake, so even the queued delivery right after auth
		// uses it (issue #15). Unchecked words of an unauthenticated peer: they only shape sets to this socket.
		const hello = parse(DeviceHandshakeAuth, socket.handshake.auth);
		socket.data.held = forConnection({ compact: hello.ok && (hello.value.features ?? []).includes(COMPACT_SETS_FEATURE) });
		for (const t of (hello.ok && hello.value.trust) || []) socket.data.held.holdsTrust(t.maId, t.seq);
		socket.emit('auth:challenge', { nonce: socket.data.nonce, serverTime: ctx.clock() });
		const authTimer = setTimeout(() => {
			if (!socket.data.deviceId) socket.disconnect(true);
		}, ctx.config.deviceAuthTimeoutMs);
		authTimer.unref();

		/** Answers a rejected event: the ack (when there is one) and an `error` event. */
		const reject = (event: string, ack: AckFn | null, code: ErrorCode, message?: string) => {
			const f = failure(code, message);
			if (ack) safeAck(ack, f);
			socket.emit('error', { code, message: f.message, event });
		};

		// Hardening: a token bucket per connection; a flood is refused (rate_limited), then disconnected.
		const bucket = new EventBucket();
		const limited = (event: string, ack: AckFn | null): boolean => {
			if (bucket.take()) return false;
			if (bucket.flooding) {
				log.warn({ deviceId: socket.data.deviceId }, 'device event flood; disconnecting');
				socket.disconnect(true);
			} else reject(event, ack, 'rate_limited');
			return true;
		};

		/** Registers one device→server event: ack extraction, auth gate, schema validation, no throws. */
		const on = <E extends keyof DeviceToServerEvents>(
			event: E,
			handler: (msg: DevicePayload<E>, deviceId: string) => DeviceAnswer<E> | Promise<DeviceAnswer<E>>,
			opts: { auth: boolean } = { auth: true }
		) => {
			// The listener takes what arrives, untyped: the map says what a device should send, the schema checks it did.
			// (Registered under the union of event names: socket.io's listener type does not resolve for a generic one.)
			socket.on<keyof DeviceToServerEvents>(event, async (...args: unknown[]) => {
				const last = args[args.length - 1];
				const ack = typeof last === 'function' ? (last as AckFn) : null;
				const payload = ack ? (args.length > 1 ? args[0] : undefined) : args[0];
				try {
					if (limited(event, ack)) return;
					if (opts.auth && !socket.data.deviceId) return reject(event, ack, 'not_authenticated');
					const parsed = parse(DEVICE_TO_SERVER_SCHEMAS[event], payload);
					if (!parsed.ok) {
						const detail = parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
						return reject(event, ack, 'invalid_request', `${event}: ${detail}`);
					}
					const res = await handler(parsed.value, socket.data.deviceId ?? '');
					if (ack) safeAck(ack, res);
				} catch (e) {
					log.error({ err: e, event, deviceId: socket.data.deviceId }, 'device event handler failed');
					reject(event, ack, 'internal');
				}
			});
		};

		// Events the protocol does not know, or server→device names sent by a device.
		socket.onAny((event: string, ...args: unknown[]) => {
			const known = Object.hasOwn(DEVICE_TO_SERVER_SCHEMAS, event);
			if (known) return;
			const last = args[args.length - 1];
			if (limited(String(event), typeof last === 'function' ? (last as AckFn) : null)) return;
			reject(event, typeof last === 'function' ? (last as AckFn) : null, 'invalid_request', `unknown event ${String(event).slice(0, 64)}`);
		});

		on(
			'auth:prove',
			(msg) => {
				if (socket.data.deviceId) return { ok: true, deviceId: socket.data.deviceId, maIds: socket.data.maIds };
				const nonce = socket.data.nonce;
				socket.data.nonce = null; // one answer per challenge
				const r = nonce
					? services().devices.authenticate(msg.deviceId, nonce, msg.signature)
					: ({ ok: false, error: { code: 'device_auth_failed', message: 'the challenge was already answered' } } as const);
				if (!r.ok) {
					log.info({ deviceId: msg.deviceId, errorCode: r.error.code }, 'device authentication refused');
					socket.emit('error', { code: r.error.code, message: r.error.message, event: 'auth:prove' });
					// Let the ack and the error event leave before closing.
					setTimeout(() => socket.disconnect(true), 50);
					return failure(r.error.code as ErrorCode, r.error.message);
				}
				const { deviceId, maIds } = r.value;
				clearTimeout(authTimer);
				socket.data.deviceId = deviceId;
				socket.data.maIds = maIds;
				void socket.join(deviceRoom(deviceId));
				const wasOnline = registry.isOnline(deviceId);
				registry.add(deviceId, socket.id);
				if (!wasOnline) ctx.events.emit('device:online', { deviceId, maIds });
				log.info({ deviceId }, 'device authenticated');
				// After the ack has left: everything unfinished for this device (queued delivery).
				// First the MA-signed decommissions it has not acked (nothing of such an MA runs after).
				setImmediate(() => void services().decommission.deliverPending(deviceId).then(() => services().operations.deliverOpen(deviceId)));
				return { ok: true, deviceId, maIds };
			},
			{ auth: false }
		);

		/**
		 * The one policy decides what a device may do (core/policy.ts: on itself, on operations sent to it, with
		 * the MAs it is enrolled in); a denial is not_found, like a missing resource.
		 */
		const may = (deviceId: string, action: 'report' | 'read' | 'request', target: Parameters<typeof authorizeDevice>[3]) => {
			const r = authorizeDevice(ctx.store.db, deviceId, action, target);
			return r.ok ? null : failure(r.error.code as ErrorCode, r.error.message);
		};

		on('device:info', (msg, deviceId) => {
			const denied = may(deviceId, 'report', { kind: 'device' });
			if (denied) return denied;
			const r = services().devices.updateInfo(deviceId, msg);
			// Database restored from a backup? Continue the trust sequence above what this device pinned, for its MAs only.
			for (const t of msg.trust ?? []) {
				// The device holds this statement version: sets on this connection need not carry it (issue #15).
				socket.data.held.holdsTrust(t.maId, t.seq);
				if (services().devices.maIdsOf(deviceId).includes(t.maId) && services().signing.trust.observeDeviceSeq(t.maId, t.seq))
					log.warn({ deviceId, maId: t.maId, seq: t.seq }, 'a device holds a newer trust statement than the database (restored?); continuing above it');
			}
			if (!r.baselineMatches) log.warn({ deviceId, reported: msg.baselineBuildId }, 'device reports another baseline; the enrolled one is kept (SCOMO-HLFR-9)');
			return { ok: true };
		});

		on('progress', async (msg, deviceId) => {
			const op = services().operations.byCorrelator(msg.correlator);
			const denied = may(deviceId, 'report', { kind: 'operation', correlator: msg.correlator, op });
			if (denied) return denied;
			const r = await services().operations.recordProgress(deviceId, msg, op);
			return r.ok ? { ok: true } : failure(r.error.code, r.error.message);
		});

		on('result', async (msg, deviceId) => {
			const op = services().operations.byCorrelator(msg.correlator);
			const denied = may(deviceId, 'report', { kind: 'operation', correlator: msg.correlator, op });
			if (denied) return denied;
			// SCOMO-SEC-02: only results the device key signed are recorded.
			if (!services().signing.verifyResult(deviceId, msg)) return failure('device_auth_failed', 'the result is not signed by this device’s key');
			// Acked after the group commit that holds it: an ack means persisted; a failed commit answers 'internal'
			// and the device keeps the result in its outbox and sends it again.
			const r = await services().operations.recordResult(deviceId, msg, op);
			return r.ok ? { ok: true, duplicate: r.value.duplicate } : failure(r.error.code, r.error.message);
		});

		on('inventory', (msg, deviceId) => {
			const denied = may(deviceId, 'report', { kind: 'device' });
			if (denied) return denied;
			services().inventory.report(deviceId, msg.components, msg.seq, msg.withheld);
			return { ok: true };
		});

		on('component:state', (msg, deviceId) => {
			const denied = may(deviceId, 'report', { kind: 'device' });
			if (denied) return denied;
			services().inventory.componentState(deviceId, msg);
			return { ok: true };
		});

		on('request', (msg, deviceId) => {
			const denied = may(deviceId, 'request', { kind: 'device-request', maId: msg.maId });
			if (denied) return denied;
			const r = services().deviceRequests.create(deviceId, msg);
			return r.ok ? { ok: true, requestId: r.value.id } : failure(r.error.code, r.error.message);
		});

		on('catalog:list', (msg, deviceId) => {
			const denied = may(deviceId, 'read', { kind: 'package', maId: msg.maId });
			if (denied) return denied;
			const r = services().catalog.list(deviceId, msg.maId);
			return r.ok ? { ok: true, entries: r.value } : failure(r.error.code, r.error.message);
		});

		on('package:token', (msg, deviceId) => {
			const denied = may(deviceId, 'read', { kind: 'operation', correlator: msg.correlator });
			if (denied) return denied;
			const r = services().catalog.issueToken(deviceId, msg.correlator);
			return r.ok ? { ok: true, url: r.value.url, expiresAt: r.value.expiresAt } : failure(r.error.code, r.error.message);
		});

		socket.on('disconnect', () => {
			clearTimeout(authTimer);
			const deviceId = socket.data.deviceId;
			if (!deviceId) return;
			try {
				if (registry.remove(deviceId, socket.id)) {
					services().devices.touch(deviceId);
					ctx.events.emit('device:offline', { deviceId, maIds: socket.data.maIds });
				}
			} catch (e) {
				log.error({ err: e, deviceId }, 'device disconnect handling failed');
			}
		});
	});
}

function safeAck(ack: AckFn, res: unknown): void {
	try {
		ack(res);
	} catch {
		// The client went away; nothing to answer.
	}
}
